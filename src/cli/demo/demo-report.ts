import type { RejectCounts } from '../../verification/reject-counts.js'

/**
 * `bad_signature 1 · malformed 2`: the non-zero counts, by name; `none` when all are zero.
 *
 * @example
 * ```ts
 * formatCounts({ replay: 1, stale: 0 }) // 'replay 1'
 * ```
 */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, n]) => `${name} ${n}`)
  return parts.length === 0 ? 'none' : parts.join(' · ')
}

const total = (counts: Readonly<Record<string, number>>) =>
  Object.values(counts).reduce((sum, n) => sum + n, 0)

/** What the demo prints when it ends. */
export interface DemoSummary {
  readonly seconds: number
  readonly verifiedBySigner: Readonly<Record<string, number>>
  readonly rejected: Readonly<RejectCounts>
  readonly forgedSent: number
  /** Verified messages signed by the forger: must stay 0. */
  readonly forgedAccepted: number
}

/**
 * The closing summary: verified messages by signer, rejections by reason, and what became of the forger's
 * messages.
 *
 * @example
 * ```ts
 * process.stdout.write(formatSummary(summary))
 * ```
 */
export function formatSummary(summary: DemoSummary): string {
  const { verifiedBySigner, rejected } = summary
  const verdict =
    summary.forgedAccepted === 0
      ? 'none got through: every forged message was rejected before any consumer saw it'
      : `${summary.forgedAccepted} GOT THROUGH`
  return [
    '',
    `── summary after ${summary.seconds.toFixed(1)} s ──`,
    `verified  ${total(verifiedBySigner)}: ${formatCounts(verifiedBySigner)}`,
    `rejected  ${total(rejected)}: ${formatCounts(rejected)}`,
    `forger    sent ${summary.forgedSent}, ${verdict}`,
    '',
  ].join('\n')
}

/**
 * The warning that opens the demo: the bundled dev CA is in use and its private keys are public.
 *
 * @example
 * ```ts
 * process.stdout.write(formatBanner(BUNDLED_DEV_CA_DIR))
 * ```
 */
export function formatBanner(devCaDir: string): string {
  return [
    '┌──────────────────────────────────────────────────────────────────────────┐',
    '│ fedmsg demo: a whole bus in one process, on the BUNDLED DEV CA.          │',
    '│ Its private keys are PUBLIC (they ship with the package): anyone can     │',
    '│ sign as any dev service. Never trust it outside local development.       │',
    '└──────────────────────────────────────────────────────────────────────────┘',
    `dev CA: ${devCaDir}`,
    '',
  ].join('\n')
}
