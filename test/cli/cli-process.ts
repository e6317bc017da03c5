/**
 * Runs `node bin/fedmsg.js …` as real child processes (bin runs dist/: build first with
 * `npx tsc -p tsconfig.build.json`), and lets tests await lines on their stdout/stderr instead of sleeping.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '../..')
const BIN = resolve(REPO, 'bin/fedmsg.js')

/** Throws unless dist/ holds `command` (the tests run the built CLI). */
export function assertBuilt(command: string): void {
  if (!existsSync(resolve(REPO, `dist/cli/commands/${command}.js`))) {
    throw new Error(`dist/ lacks the ${command} command: run npx tsc -p tsconfig.build.json first`)
  }
}

export interface CliOptions {
  /** Working directory; also HOME, so no ~/.config/fedmsg.d of the machine is read. */
  readonly cwd: string
  readonly stdin?: string
  /** Added to the environment (e.g. FEDMSG_CONFIG). */
  readonly env?: Readonly<Record<string, string>>
}

/** A running `fedmsg` process with its output split into lines as it arrives. */
export interface CliProcess {
  readonly child: ChildProcess
  readonly stdout: string[]
  readonly stderr: string[]
  /** Resolves with the first line (past or future) of `stream` that `match` accepts. */
  line(
    stream: 'stdout' | 'stderr',
    match: (line: string) => boolean,
    timeoutMs?: number,
  ): Promise<string>
  /** Resolves once `condition` holds, re-checked on every new line. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>
  /** Resolves with the exit code (or the signal name) once the process ended. */
  readonly exited: Promise<number | string>
  /** Sends SIGKILL unless the process already ended (afterEach cleanup). */
  kill(): Promise<void>
}

/** The processes one test file starts, all ended after each test, whether it passed or not. */
export interface CliChildren {
  /** `startCli(args)` in `cwd()`, remembered for {@link CliChildren.stopAll}. */
  start(args: readonly string[]): CliProcess
  /** Kills every process started since the last call: the file's `afterEach(children.stopAll)`. */
  stopAll(): Promise<void>
}

export function cliChildren(cwd: () => string): CliChildren {
  const started: CliProcess[] = []
  return {
    start(args) {
      const child = startCli(args, { cwd: cwd() })
      started.push(child)
      return child
    },
    stopAll: async () => void (await Promise.all(started.splice(0).map((child) => child.kill()))),
  }
}

/** Starts `fedmsg ARGS` with HOME = cwd and, unless `options.env` sets it, without FEDMSG_CONFIG. */
export function startCli(args: readonly string[], options: CliOptions): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin.end(options.stdin ?? '')
  const lines = { stdout: [] as string[], stderr: [] as string[] }
  const waiters = new Set<() => void>()
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = ''
    child[stream].setEncoding('utf8')
    child[stream].on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop()!
      if (parts.length === 0) return
      lines[stream].push(...parts)
      for (const wake of [...waiters]) wake()
    })
    child[stream].on('end', () => {
      if (partial !== '') lines[stream].push(partial)
    })
  }
  const exited = new Promise<number | string>((done) => {
    // 'close', not 'exit': it comes after both pipes ended, so every line is in.
    child.once('close', (code, signal) => {
      done(code ?? signal ?? 'unknown')
      for (const wake of [...waiters]) wake()
    })
  })
  let ended = false
  void exited.then(() => (ended = true))

  const until = (condition: () => boolean, what: string, timeoutMs = 15_000) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (condition()) finish()
        else if (ended) finish(new Error(`process ended (${child.exitCode}) before ${what}`))
      }
      const timer = setTimeout(
        () => finish(new Error(`no ${what} within ${timeoutMs} ms`)),
        timeoutMs,
      )
      const finish = (error?: Error) => {
        clearTimeout(timer)
        waiters.delete(check)
        if (error === undefined) done()
        else
          fail(
            new Error(
              `${error.message}\nstdout:\n${lines.stdout.join('\n')}\nstderr:\n${lines.stderr.join('\n')}`,
            ),
          )
      }
      waiters.add(check)
      check()
    })

  return {
    child,
    ...lines,
    async line(stream, match, timeoutMs) {
      let found: string | undefined
      await until(
        () => (found = lines[stream].find(match)) !== undefined,
        `matching ${stream} line`,
        timeoutMs,
      )
      return found!
    },
    until,
    exited,
    async kill() {
      if (!ended) child.kill('SIGKILL')
      await exited
    },
  }
}

/** Runs `fedmsg ARGS` to completion. */
export async function runCli(
  args: readonly string[],
  options: CliOptions,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = startCli(args, options)
  const code = await run.exited
  return { code, stdout: run.stdout.join('\n'), stderr: run.stderr.join('\n') }
}
