/**
 * The black-box side of the adversarial suite: the real `fedmsg` CLI (`node bin/fedmsg.js`, which runs dist/,
 * so build first: `npx tsc -p tsconfig.build.json`) in a private temp dir with a temp HOME.
 *
 * `fedmsg verify` prints one verdict per stdin line, so a whole table of attacks costs one process: the tests
 * run it once in `beforeAll` and assert one verdict per case.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect } from 'vitest'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import type { RejectReason } from '../../src/errors.js'
import '../crypto/to-reject-with.js'

export const REPO = resolve(import.meta.dirname, '../..')
const BIN = join(REPO, 'bin/fedmsg.js')

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** One line of `fedmsg verify` output. */
export interface Verdict {
  readonly ok: boolean
  readonly reason?: RejectReason
  readonly detail?: string
  readonly topic?: string
  readonly signer?: string
  readonly msg_id?: string
}

/** A private temp dir for one test file: its files, and its removal in `afterAll`. */
export interface Workspace {
  readonly dir: string
  path(name: string): string
  /** Writes `content` at `name` with `mode` (default 0600) and returns the absolute path. */
  write(name: string, content: string | Uint8Array, mode?: number): string
  /** Runs `fedmsg ARGS…` with the workspace as cwd and HOME; never rejects on an exit code. */
  fedmsg(args: readonly string[], stdin?: string | Uint8Array): Promise<Run>
  remove(): void
}

/** Fails fast with the fix when dist/ was not built. */
export function assertCliBuilt(): void {
  if (!existsSync(join(REPO, 'dist/cli/commands/verify.js'))) {
    throw new Error('dist/ is missing: run npx tsc -p tsconfig.build.json first')
  }
}

export function makeWorkspace(prefix: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const path = (name: string) => join(dir, name)
  return {
    dir,
    path,
    write(name, content, mode = 0o600) {
      writeFileSync(path(name), content, { mode })
      return path(name)
    },
    fedmsg: (args, stdin = '') => runFedmsg(args, stdin, dir),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

function runFedmsg(args: readonly string[], stdin: string | Uint8Array, cwd: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    )
    child.stdin.end(stdin)
  })
}

/**
 * Runs one `fedmsg verify FLAGS…` over `lines` (one envelope each) and returns one verdict per line, in order.
 * Lines must be non-empty and hold no `\n`: verify skips empty lines and splits on `\n`.
 */
export async function verifyLines(
  workspace: Workspace,
  lines: readonly (string | Uint8Array)[],
  flags: readonly string[],
): Promise<{ code: number | null; verdicts: Verdict[] }> {
  const stdin = Buffer.concat(lines.flatMap((line) => [Buffer.from(line), Buffer.from('\n')]))
  const run = await workspace.fedmsg(['verify', ...flags], stdin)
  if (run.code !== 0 && run.code !== 1) {
    throw new Error(`fedmsg verify exited ${run.code}: ${run.stderr}`)
  }
  const verdicts = run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Verdict)
  expect(verdicts).toHaveLength(lines.length)
  return { code: run.code, verdicts }
}

/**
 * The verdict is a rejection with exactly `reason`, and not the verifier's catch-all for an exception it did
 * not expect (which would be a bug met on hostile input, even though it rejects).
 */
export function expectReason(verdict: Verdict | VerifyResult | undefined, reason: RejectReason) {
  expect(verdict).toBeDefined()
  expect(verdict as VerifyResult).toRejectWith(reason)
  expect((verdict as Verdict).detail).not.toMatch(/^unexpected error/)
}

/**
 * Table rows as `[title, case]` for `it.each(rows)('%s', …)`, titled "<name> → <reason>": vitest quotes and
 * cuts `$name` titles at 40 characters, and docs/threat-model.md cites the tests by their full titles.
 */
export function titled<T extends { name: string; reason: string }>(
  cases: readonly T[],
): [string, T][] {
  return cases.map((c) => [`${c.name} → ${c.reason}`, c])
}
