// @ts-check
/**
 * A throwaway PostgreSQL server for the store benchmark, started as test/fixtures/postgres-server.ts starts
 * one (Debian's postgresql package: initdb on a temp dir, a free port on 127.0.0.1, trust auth, fsync off).
 * `FEDMSG_BENCH_POSTGRES=postgres://…/postgres` uses a running server instead.
 */
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** @returns {Promise<number>} */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
    server.on('error', reject)
  })

/**
 * The server's URL and how to stop it, or the reason there is none.
 *
 * @returns {Promise<{ url: string, stop: () => void } | { missing: string }>}
 */
export async function startBenchPostgres() {
  const given = process.env.FEDMSG_BENCH_POSTGRES
  if (given) return { url: given, stop: () => undefined }
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  const bin = versions.map((v) => join(root, v, 'bin')).find((b) => existsSync(join(b, 'initdb')))
  if (bin === undefined)
    return { missing: 'PostgreSQL is not installed (apt-get install postgresql)' }
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-pg-'))
  const data = join(dir, 'data')
  mkdirSync(data, { mode: 0o700 })
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const id = (/** @type {string} */ flag) =>
      Number(execFileSync('id', [flag, 'postgres']).toString().trim())
    for (const path of [dir, data]) chownSync(path, id('-u'), id('-g'))
  }
  /** @param {string} tool @param {string[]} args */
  const run = (tool, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], {
          stdio: 'ignore',
        })
      : execFileSync(join(bin, tool), args, { stdio: 'ignore' })
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'fedmsg', '--no-sync'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'])
  return {
    url: `postgres://fedmsg@127.0.0.1:${port}/postgres`,
    stop: () => {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
