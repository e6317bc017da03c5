import { defaultReplayWindowMs } from '../crypto/envelope/verifier-options.js'
import { JournaledReplayAdmission } from '../replay-journal/journaled-replay-admission.js'
import type { VerifierRuntime } from '../verification/verifier-from-config.js'
import type { ResolvedHubOptions } from './hub-options.js'

const WHY = {
  missing: 'no replay journal (a first start, or state_dir was lost or not kept)',
  corrupt: 'replay journal corrupt',
  rebooted: 'replay journal unsynced before a reboot (replay_fsync is false)',
} as const

/** The replay side of a hub's verifier, and what to close when the hub closes. */
export interface HubReplay {
  readonly runtime: VerifierRuntime
  readonly admission: JournaledReplayAdmission | undefined
}

/**
 * Opens the hub's replay journal (`<state_dir>/hub`), so that what earlier runs accepted is refused as
 * `replay`, and says so once in the log when the journal was missing or corrupt (then the hub refuses
 * everything stamped up to one clock skew after its start). Without a state directory (`stateDir: null`)
 * the replay cache is in memory and the hub refuses everything stamped before it started instead.
 * Throws StateUnavailable when the directory cannot be used.
 */
export function openHubReplay(options: ResolvedHubOptions, startedAt: number): HubReplay {
  const { config, journalDir, logger } = options
  if (journalDir === null)
    return { runtime: { now: options.now, notBeforeMs: startedAt }, admission: undefined }
  const maxAgeMs = config.max_age_seconds * 1000
  const clockSkewMs = config.clock_skew_seconds * 1000
  const admission = JournaledReplayAdmission.open({
    dir: journalDir,
    windowMs: defaultReplayWindowMs(maxAgeMs, clockSkewMs),
    clockSkewMs,
    fsync: options.replayFsync,
    now: options.now,
  })
  const { health, problem, closedUpTo } = admission.start
  if (health !== 'ok') {
    logger.warn(
      { dir: journalDir, health, problem, refusedUpTo: new Date(closedUpTo!).toISOString() },
      `${WHY[health]}: refusing messages stamped up to one clock skew from now, as replays`,
    )
  }
  return { runtime: { now: options.now, replayAdmission: admission }, admission }
}
