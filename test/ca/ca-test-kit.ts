/**
 * Helpers of the CA tests: temp dirs, the real `openssl` CLI as an independent checker, and the real
 * `fedmsg` CLI (bin/fedmsg.js → dist/, so the suite needs `npm run build` first, as `npm test` does).
 */
import { execFile, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '..', '..')
export const FEDMSG_BIN = join(REPO, 'bin', 'fedmsg.js')

/** A fresh private temp dir and its removal. */
export function makeTempDir(prefix = 'fedmsg-ca-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `openssl ARGS…` synchronously. */
export function openssl(...args: string[]): Run {
  const result = spawnSync('/usr/bin/openssl', args, { encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Runs `node bin/fedmsg.js ARGS…` in `cwd`; resolves with exit code and output, never rejects on exit code. */
export function fedmsg(args: readonly string[], cwd: string = REPO): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [FEDMSG_BIN, ...args],
      { cwd, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error)
          return
        }
        resolvePromise({ code: error === null ? 0 : (error.code as number), stdout, stderr })
      },
    )
  })
}

/** `fedmsg ARGS… --json`, expected to succeed, parsed. */
export async function fedmsgJson<T = Record<string, unknown>>(
  args: readonly string[],
  cwd?: string,
): Promise<T> {
  const run = await fedmsg([...args, '--json'], cwd)
  if (run.code !== 0) throw new Error(`fedmsg ${args.join(' ')} exited ${run.code}: ${run.stderr}`)
  return JSON.parse(run.stdout) as T
}

/** Permission bits of `path`. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777
}

/** Names in `dir` that look like leftovers of an interrupted atomic write. */
export function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.tmp'))
}

/** `openssl x509 -text` of a PEM file's first certificate. */
export function certificateText(file: string): string {
  const run = openssl('x509', '-in', file, '-noout', '-text')
  if (run.code !== 0) throw new Error(run.stderr)
  return run.stdout
}

/**
 * Every entry under `dir` (and `dir` itself) with its mode and, for files, a hash of the content: two equal
 * snapshots mean nothing was created, removed, changed or chmodded. Undefined when `dir` does not exist.
 */
export function snapshotTree(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined
  const entries: Record<string, string> = {}
  const walk = (path: string, name: string) => {
    const stat = lstatSync(path)
    const mode = (stat.mode & 0o7777).toString(8)
    if (stat.isDirectory()) {
      entries[name || '.'] = `dir ${mode}`
      for (const child of readdirSync(path).sort()) walk(join(path, child), join(name, child))
    } else if (stat.isSymbolicLink()) {
      entries[name] = `link ${readlinkSync(path)}`
    } else {
      const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16)
      entries[name] = `file ${mode} ${hash}`
    }
  }
  walk(dir, '')
  return entries
}
