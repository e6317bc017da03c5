/** Limits of `fedmsg trigger`, in one place. */
export const TRIGGER_DEFAULTS = {
  /** Commands running at once. */
  concurrency: 4,
  /** Messages waiting for a free slot; beyond it new ones are dropped and counted. */
  queueSize: 100,
  /** Longest one command may run before it is killed (SIGTERM, then SIGKILL). */
  timeoutMs: 30_000,
  /** Between SIGTERM and SIGKILL, for a command that ignores SIGTERM. */
  killGraceMs: 2_000,
} as const

export interface TriggerOptions {
  /** The command and its arguments: run as is, never through a shell. */
  readonly argv: readonly string[]
  readonly concurrency?: number
  readonly queueSize?: number
  readonly timeoutMs?: number
  readonly killGraceMs?: number
  /** Environment of every command, before the FEDMSG_* variables; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv
}

export type ResolvedTriggerOptions = Required<TriggerOptions>

/**
 * Applies the defaults; throws a TypeError for an empty command or a limit that is not a positive integer
 * (the CLI checks its flags before).
 */
export function resolveTriggerOptions(options: TriggerOptions): ResolvedTriggerOptions {
  if (options.argv.length === 0 || options.argv[0] === '') {
    throw new TypeError('trigger: a command to run is required')
  }
  const resolved = {
    argv: [...options.argv],
    concurrency: options.concurrency ?? TRIGGER_DEFAULTS.concurrency,
    queueSize: options.queueSize ?? TRIGGER_DEFAULTS.queueSize,
    timeoutMs: options.timeoutMs ?? TRIGGER_DEFAULTS.timeoutMs,
    killGraceMs: options.killGraceMs ?? TRIGGER_DEFAULTS.killGraceMs,
    env: options.env ?? process.env,
  }
  for (const key of ['concurrency', 'queueSize', 'timeoutMs', 'killGraceMs'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < (key === 'queueSize' ? 0 : 1)) {
      throw new TypeError(`trigger: ${key} must be a positive integer, not ${resolved[key]}`)
    }
  }
  return resolved
}
