import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { StaticFile } from './gateway-http.js'

// From dist/gateway/ (or src/gateway/ under vitest) to the package root.
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The web view (web/busmon.html, web/busmon.js, web/busmon-stats.js), the browser verifier bundle it imports, and the trust
 * anchors it verifies against (public certificates: the gateway's own `trust` files).
 */
export function webViewFiles(trustAnchorsPem: string): Record<string, StaticFile> {
  const read = (path: string) => readFileSync(PACKAGE_ROOT + path)
  const js = 'text/javascript; charset=utf-8'
  return {
    '/': { type: 'text/html; charset=utf-8', body: read('web/busmon.html') },
    '/busmon.js': { type: js, body: read('web/busmon.js') },
    '/busmon-stats.js': { type: js, body: read('web/busmon-stats.js') },
    '/fedmsg-browser.js': { type: js, body: read('dist/browser/fedmsg-browser.js') },
    '/trust-anchors.pem': { type: 'application/x-pem-file', body: trustAnchorsPem },
  }
}
