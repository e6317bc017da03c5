import type { FedmsgError } from '../../errors.js'
import { ALL_ALGS, isAlg } from '../alg-names.js'
import { CHAIN_DEFAULTS } from '../chain/chain-defaults.js'
import { decodePemBlocks } from '../pem.js'
import type { ReplayAdmission } from '../replay/replay-admission.js'
import type { RoutingPolicy } from '../policy/routing-policy.js'
import type { Alg } from './verified-message.js'

/** How an `EnvelopeVerifier` decides (docs/protocol.md §5). Defaults are in `VERIFIER_DEFAULTS`. */
export interface VerifierOptions {
  /** PEM text (may hold several certificates) or DER of each trust anchor. */
  readonly trustAnchors: readonly (string | Uint8Array)[]
  /** PEM text or DER CRLs; revocation becomes mandatory for the issuers they cover. */
  readonly crls?: readonly (string | Uint8Array)[]
  /** Every issuer in a chain must have a CRL. */
  readonly requireCrls?: boolean
  /**
   * Judge each message as of its own signed timestamp instead of `now` (re-verifying archived messages,
   * docs/protocol.md §4.6): that instant is the clock of every check, and a CRL entry revokes from its
   * revocationDate on (keyCompromise, cACompromise, aACompromise: always), whatever the CRL's own dates. Set `maxAgeMs` and
   * `replayWindowMs` to null with it. Default false.
   */
  readonly asOfMessageTime?: boolean
  /** Default: allow all. */
  readonly policy?: RoutingPolicy
  /** Clock in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** Largest message age in ms; null = no staleness check. */
  readonly maxAgeMs?: number | null
  readonly clockSkewMs?: number
  /** How long a `msg_id` is remembered; default maxAge + skew + 1 ms (forever, up to the cache cap, when maxAge is null); null disables the replay check. */
  readonly replayWindowMs?: number | null
  /**
   * What remembers accepted `msg_id`s (check 12); default an in-memory `ReplayCache` of `replayWindowMs`. A
   * hub passes a journaled one, so that a restart forgets nothing; `replayWindowMs` is then not used.
   */
  readonly replayAdmission?: ReplayAdmission
  /**
   * Refuse (reason `replay`) messages stamped before this instant, with no skew allowed: set it to the time the
   * verifier started, so that nothing a previous run may have accepted is accepted again. Publishers whose
   * clocks run behind lose their messages stamped before it.
   */
  readonly notBeforeMs?: number
  readonly maxEnvelopeBytes?: number
  /** Most `x5c` elements. */
  readonly maxChainLength?: number
  readonly allowedAlgs?: readonly Alg[]
  /** Verified chains the chain validator remembers. */
  readonly chainCacheSize?: number
}

/** Library defaults, in one place. */
export const VERIFIER_DEFAULTS = Object.freeze({
  maxAgeMs: 300_000,
  clockSkewMs: 30_000,
  maxEnvelopeBytes: 1_048_576,
  maxChainLength: CHAIN_DEFAULTS.maxChainLength,
  chainCacheSize: CHAIN_DEFAULTS.cacheSize,
})

/** Options with every default applied and every input converted once. */
export interface ResolvedVerifierOptions {
  readonly now: () => number
  readonly maxAgeMs: number | null
  readonly clockSkewMs: number
  readonly replayWindowMs: number | null
  readonly notBeforeMs: number | undefined
  readonly maxEnvelopeBytes: number
  readonly maxChainLength: number
  readonly allowedAlgs: ReadonlySet<string>
}

function assertNonNegative(name: string, value: number): void {
  if (!(value >= 0)) throw new TypeError(`${name} must be a number >= 0, got ${value}`)
}

/**
 * DER of each item: a `Uint8Array` is DER, a string is PEM text whose blocks labelled `label` are taken.
 * Throws `invalid(message)` for a string without any such block, so an empty or wrong file is never silently
 * "no anchors" or "no CRLs".
 */
export function toDerList(
  items: readonly (string | Uint8Array)[],
  label: string,
  invalid: (message: string) => FedmsgError,
): Uint8Array[] {
  return items.flatMap((item) => {
    if (typeof item !== 'string') return [Uint8Array.from(item)]
    const blocks = decodePemBlocks(item, label)
    if (blocks.length === 0) throw invalid(`PEM text holds no "${label}" block`)
    return blocks
  })
}

/**
 * Long enough that a message cannot be accepted again before it turns stale: it is accepted until
 * `timestamp + maxAge` inclusive and recorded at the earliest at `timestamp - skew`. The cache forgets an id
 * once `windowMs` have passed, so the window is 1 ms longer than that span: with exactly maxAge + skew a
 * message first seen at the skew boundary was accepted again at the max-age boundary
 * (test/adversarial/freshness-replay.test.ts). Without a maximum age a message never turns stale, so its id
 * is kept until the cache's cap pushes it out.
 */
export function defaultReplayWindowMs(maxAgeMs: number | null, clockSkewMs: number): number {
  return maxAgeMs === null ? Number.POSITIVE_INFINITY : maxAgeMs + clockSkewMs + 1
}

/** Applies defaults and checks option types; throws `TypeError` for a misuse. */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  const maxAgeMs = options.maxAgeMs === undefined ? VERIFIER_DEFAULTS.maxAgeMs : options.maxAgeMs
  const clockSkewMs = options.clockSkewMs ?? VERIFIER_DEFAULTS.clockSkewMs
  const replayWindowMs =
    options.replayWindowMs === undefined
      ? defaultReplayWindowMs(maxAgeMs, clockSkewMs)
      : options.replayWindowMs
  const allowedAlgs = options.allowedAlgs ?? ALL_ALGS
  for (const alg of allowedAlgs) {
    if (!isAlg(alg)) throw new TypeError(`allowedAlgs: unknown algorithm ${String(alg)}`)
  }
  if (maxAgeMs !== null) assertNonNegative('maxAgeMs', maxAgeMs)
  if (replayWindowMs !== null) assertNonNegative('replayWindowMs', replayWindowMs)
  assertNonNegative('clockSkewMs', clockSkewMs)
  const maxEnvelopeBytes = options.maxEnvelopeBytes ?? VERIFIER_DEFAULTS.maxEnvelopeBytes
  assertNonNegative('maxEnvelopeBytes', maxEnvelopeBytes)
  return {
    now: options.now ?? Date.now,
    maxAgeMs,
    clockSkewMs,
    replayWindowMs,
    notBeforeMs: options.notBeforeMs,
    maxEnvelopeBytes,
    maxChainLength: options.maxChainLength ?? VERIFIER_DEFAULTS.maxChainLength,
    allowedAlgs: new Set(allowedAlgs),
  }
}
