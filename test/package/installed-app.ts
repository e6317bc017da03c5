/**
 * A fresh app with fedmsg installed from its packed tarball, as a user gets it from the registry: `npm pack`,
 * then `npm install fedmsg-x.tgz` in an empty directory. No lifecycle script of fedmsg runs there (npm runs
 * `prepare` only for git and folder installs), and the tarball keeps no file mode: keys arrive as 0644.
 *
 * Packs with --ignore-scripts, so the test ships the dist/ of the last build (as every CLI test runs it)
 * and never rebuilds dist/ under test files running in parallel. Installs from the local npm cache.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const REPO = resolve(import.meta.dirname, '../..')
const NPM_QUIET = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']

export interface InstalledApp {
  /** The app directory: `import 'fedmsg'` and `npx fedmsg` resolve to the installed package. */
  readonly dir: string
  /** node_modules/fedmsg. */
  readonly packageDir: string
  /** Every file of the tarball, as `npm pack --json` lists it (package-relative paths). */
  readonly packedFiles: readonly string[]
  /** Environment for processes run in the app: PATH and HOME = dir (no ~/.config/fedmsg.d of the machine). */
  readonly env: NodeJS.ProcessEnv
  remove(): void
}

/** Packs this repository and installs the tarball into a new temp app. */
export async function installPackedApp(): Promise<InstalledApp> {
  if (!existsSync(join(REPO, 'dist', 'index.js'))) {
    throw new Error('dist/ is not built: run npm run build first')
  }
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-app-'))
  const packs = join(dir, '.packs')
  mkdirSync(packs)
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    npm_config_cache: npmCache(),
    // npm's "new version available" notice goes to stderr, which the tests read.
    npm_config_update_notifier: 'false',
  }
  // --ignore-scripts: prepack would rebuild dist/ (emptying it first) under the tests running beside this one;
  // the suite's pretest has built it already.
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', packs, ...NPM_QUIET],
    { cwd: REPO, env, maxBuffer: 64 << 20 },
  )
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[]
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'fedmsg-user-app', version: '1.0.0', private: true, type: 'module' }),
  )
  await run('npm', ['install', join(packs, packed!.filename), '--prefer-offline', ...NPM_QUIET], {
    cwd: dir,
    env,
  })
  return {
    dir,
    packageDir: join(dir, 'node_modules', 'fedmsg'),
    packedFiles: packed!.files.map((file) => file.path),
    env,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The machine's npm cache (HOME is replaced, so name it explicitly): the install needs no network. */
function npmCache(): string {
  return process.env.npm_config_cache ?? join(process.env.HOME ?? tmpdir(), '.npm')
}
