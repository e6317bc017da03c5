// Bundles the browser verifier (src/browser) into one self-contained ES module, dist/browser/fedmsg-browser.js,
// so that a page can load it with <script type="module"> and no build step. Bundlers use dist/browser/index.js.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/browser/index.ts'],
  outfile: 'dist/browser/fedmsg-browser.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
})
