import { constants } from 'node:os'

/** What ended a command's run. */
export type StopCause = 'SIGINT' | 'SIGTERM' | 'duration' | 'done'

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

export interface RunUntilSignalOptions {
  /** Stop on its own after this many ms (`fedmsg demo --duration`). */
  readonly durationMs?: number
  /** Stop when this settles (`fedmsg tail` when its reader closed the pipe). */
  readonly done?: Promise<unknown>
  /**
   * Told once the signal handlers are in place (to log "started"): a supervisor that sends SIGTERM as soon
   * as it reads that line gets a graceful stop, never the default action that kills the process.
   */
  readonly onStarted?: () => void
  /** Told when the stop begins, before `stop` runs (to log "stopping"). */
  readonly onStop?: (cause: StopCause) => void
}

/**
 * Waits for SIGINT or SIGTERM (or the duration, or `done`), then runs `stop` (drain consumers, close
 * sockets) and resolves with what stopped it; the command then returns normally, so the process exits 0 once
 * its sockets are closed. A second signal while `stop` runs means "now": the process exits at once with
 * 128 + the signal number, the shell convention (130 for Ctrl-C).
 *
 * @example
 * ```ts
 * const cause = await runUntilSignal(() => hub.drain())
 * log.info({ cause }, 'hub stopped')
 * ```
 */
export async function runUntilSignal(
  stop: () => Promise<void>,
  options: RunUntilSignalOptions = {},
): Promise<StopCause> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const listeners: [NodeJS.Signals, () => void][] = []
  const cause = await new Promise<StopCause>((resolve) => {
    for (const signal of STOP_SIGNALS) {
      const listener = () => resolve(signal)
      listeners.push([signal, listener])
      process.once(signal, listener)
    }
    if (options.durationMs !== undefined) {
      timer = setTimeout(() => resolve('duration'), options.durationMs)
    }
    const done = () => resolve('done')
    options.done?.then(done, done)
    options.onStarted?.()
  })
  clearTimeout(timer)
  for (const [signal, listener] of listeners) process.removeListener(signal, listener)
  const force = (signal: NodeJS.Signals) => process.exit(128 + constants.signals[signal])
  for (const signal of STOP_SIGNALS) process.once(signal, force)
  try {
    options.onStop?.(cause)
    await stop()
  } finally {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, force)
  }
  return cause
}
