/**
 * The soak's verdict from what was acknowledged, what the hub's consumer recorded, and when the faults were:
 * acknowledged-but-lost (outside the windows where a fault makes PUB/SUB drop by design), duplicates
 * dispatched (a msg_id dispatched twice, as issue 12 counts them), forged dispatched, and the RSS curves.
 */
import type { Ack } from './soak-traffic.js'

/** A fault: a process stopped at `at`, up again at `readyAt`; `service` limits it to one publisher. */
export interface Fault {
  readonly what: string
  readonly at: number
  readonly readyAt: number
  readonly service?: string
}

export interface RssSample {
  readonly at: number
  readonly hub?: number
  readonly relay?: number
  readonly hubStart: number
  readonly relayStart: number
}

export interface SoakVerdict {
  readonly acknowledged: number
  readonly dispatched: number
  readonly acknowledgedButLost: number
  readonly lostInFaultWindows: number
  readonly duplicatesDispatched: number
  readonly forgedDispatched: number
}

/**
 * How long before a fault an acknowledged message may still be in flight, queued in the dying process. Generous:
 * a hub at half its capacity is far less behind, but a shared 2-core machine may slow it for a while.
 */
export const IN_FLIGHT_MS = 5_000

/** Lines `SOAK_ID MSG_ID` the consumer appended, one per dispatch. */
export function parseDispatches(text: string): { soakId: string; msgId: string }[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [soakId = '', msgId = ''] = line.split(' ')
      return { soakId, msgId }
    })
}

/**
 * The fault windows: from IN_FLIGHT_MS before the fault until the first message acknowledged after the
 * process was ready again that got dispatched (the moment the path demonstrably worked again).
 */
function windows(faults: readonly Fault[], acks: readonly Ack[], dispatched: ReadonlySet<string>) {
  return faults.map((fault) => {
    const back = acks.find((ack) => ack.at >= fault.readyAt && dispatched.has(ack.soakId))
    return { ...fault, from: fault.at - IN_FLIGHT_MS, to: back?.at ?? Infinity }
  })
}

export function soakVerdict(
  acks: readonly Ack[],
  dispatches: readonly { soakId: string; msgId: string }[],
  faults: readonly Fault[],
): SoakVerdict {
  const dispatched = new Set(dispatches.map(({ soakId }) => soakId))
  const faultWindows = windows(faults, acks, dispatched)
  const lost = acks.filter((ack) => !dispatched.has(ack.soakId))
  const excused = lost.filter((ack) =>
    faultWindows.some(
      (w) =>
        (w.service === undefined || w.service === ack.service) &&
        ack.at >= w.from &&
        ack.at <= w.to,
    ),
  )
  const perMsgId = new Map<string, number>()
  for (const { msgId } of dispatches) perMsgId.set(msgId, (perMsgId.get(msgId) ?? 0) + 1)
  return {
    acknowledged: acks.length,
    dispatched: dispatches.length,
    acknowledgedButLost: lost.length - excused.length,
    lostInFaultWindows: excused.length,
    duplicatesDispatched: [...perMsgId.values()].reduce((sum, count) => sum + count - 1, 0),
    forgedDispatched: dispatches.filter(({ soakId }) => soakId.startsWith('forged-')).length,
  }
}

/** Least-squares slope of `points` in units per minute (points are [ms, value]). */
export function slopePerMinute(points: readonly [number, number][]): number {
  if (points.length < 2) return 0
  const n = points.length
  const mx = points.reduce((s, [x]) => s + x, 0) / n
  const my = points.reduce((s, [, y]) => s + y, 0) / n
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  return sxx === 0 ? 0 : (sxy / sxx) * 60_000
}

/** The RSS of `component` over its longest-lived incarnation: [ms, bytes] points, first sample dropped. */
export function longestRun(
  samples: readonly RssSample[],
  component: 'hub' | 'relay',
): [number, number][] {
  const runs = new Map<number, [number, number][]>()
  for (const sample of samples) {
    const rss = sample[component]
    if (rss === undefined) continue
    const start = component === 'hub' ? sample.hubStart : sample.relayStart
    runs.set(start, [...(runs.get(start) ?? []), [sample.at, rss]])
  }
  const longest = [...runs.values()].sort((a, b) => b.length - a.length)[0] ?? []
  return longest.slice(1)
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1)

/** The printed report. */
export function formatSoakReport(input: {
  minutes: number
  capacity: number
  rate: number
  verdict: SoakVerdict
  faults: readonly Fault[]
  samples: readonly RssSample[]
  failures: Readonly<Record<string, number>>
  attacks: Readonly<Record<string, number>>
  rejections: Readonly<Record<string, number>>
}): string {
  const { verdict, samples } = input
  const t0 = samples[0]?.at ?? 0
  const every = Math.max(1, Math.ceil(samples.length / 12))
  const curve = samples
    .filter((_, index) => index % every === 0)
    .map(
      (s) =>
        `  t=${((s.at - t0) / 1000).toFixed(0)}s hub ${s.hub === undefined ? '-' : mb(s.hub)} MB, relay ${s.relay === undefined ? '-' : mb(s.relay)} MB`,
    )
  const slope = (component: 'hub' | 'relay') =>
    `${(slopePerMinute(longestRun(samples, component)) / 1_048_576).toFixed(3)} MB/min`
  return [
    `soak: ${input.minutes} min, capacity ${input.capacity.toFixed(0)} msg/s measured, publishing at ${input.rate.toFixed(0)} msg/s`,
    `faults: ${input.faults.map((f) => f.what).join(', ')}`,
    `acknowledged ${verdict.acknowledged}, dispatched ${verdict.dispatched}`,
    `acknowledged-but-lost: ${verdict.acknowledgedButLost}`,
    `duplicates dispatched: ${verdict.duplicatesDispatched}`,
    `forged dispatched: ${verdict.forgedDispatched}`,
    `acknowledged in a fault window and not dispatched (PUB/SUB drops while a process is down): ${verdict.lostInFaultWindows}`,
    `publishes refused or timed out: ${JSON.stringify(input.failures)}`,
    `attacker sent: ${JSON.stringify(input.attacks)}; hub rejected (all runs): ${JSON.stringify(input.rejections)}`,
    'RSS over time:',
    ...curve,
    `RSS slope over the longest-lived process: hub ${slope('hub')}, relay ${slope('relay')}`,
  ].join('\n')
}
