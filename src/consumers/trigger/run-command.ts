import { spawn } from 'node:child_process'

/** How one command run ended. */
export type CommandOutcome =
  | { readonly type: 'exit'; readonly code: number }
  | { readonly type: 'signal'; readonly signal: string }
  | { readonly type: 'timeout' }
  | { readonly type: 'spawn_error'; readonly error: Error }

export interface RunCommandOptions {
  readonly argv: readonly string[]
  /** Written to the command's stdin, which is then closed. */
  readonly stdin: string
  readonly env: NodeJS.ProcessEnv
  readonly timeoutMs: number
  readonly killGraceMs: number
}

/**
 * Runs `argv[0]` with the arguments `argv[1…]`, never through a shell: message data reaches it only as stdin
 * and environment values, never as a command line to parse. Its stdout and stderr go to our stderr, so its
 * output cannot break the JSON log on stdout. It runs in a process group of its own; at the timeout the whole
 * group gets SIGTERM, then SIGKILL after the grace period, so its own children go too; and once it exits,
 * whatever it left running in the group gets SIGKILL. Never rejects.
 *
 * @example
 * ```ts
 * const outcome = await runCommand({ argv: ['/usr/bin/logger', '-t', 'fedmsg'], stdin: '{}', env: {}, timeoutMs: 5000, killGraceMs: 1000 })
 * ```
 */
export function runCommand(options: RunCommandOptions): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = options.argv
    let child
    try {
      child = spawn(file!, args, {
        shell: false,
        detached: true,
        env: options.env,
        stdio: ['pipe', process.stderr, process.stderr],
      })
    } catch (error) {
      // A value spawn refuses (a NUL byte in an environment value) throws at once.
      resolve({ type: 'spawn_error', error: error as Error })
      return
    }
    let timedOut = false
    let killer: ReturnType<typeof setTimeout> | undefined
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal)
      } catch {
        // The group is gone already.
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      killGroup('SIGTERM')
      killer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs)
    }, options.timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      clearTimeout(killer)
      resolve({ type: 'spawn_error', error })
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      clearTimeout(killer)
      // What the command left running (`cmd &`) would outlive its run, its timeout and the concurrency bound.
      killGroup('SIGKILL')
      if (timedOut) resolve({ type: 'timeout' })
      else if (code !== null) resolve({ type: 'exit', code })
      else resolve({ type: 'signal', signal: signal ?? 'unknown' })
    })
    // A command that exits without reading its stdin closes the pipe under us: not our failure.
    child.stdin!.once('error', () => undefined)
    child.stdin!.end(options.stdin)
  })
}
