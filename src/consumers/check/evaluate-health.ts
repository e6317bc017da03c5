import { CHECK_DEFAULTS, type CheckState, type CheckThresholds } from './check-options.js'
import { PrometheusSamples } from './prometheus-samples.js'

/** The verdict of a check: the state and one line for the monitoring system. */
export interface CheckResult {
  readonly state: CheckState
  /** `FEDMSG OK - hub: … | perfdata`. */
  readonly line: string
}

interface Measure {
  readonly label: string
  readonly value: number
  readonly warning: number | undefined
  readonly critical: number | undefined
  readonly text: string
}

/**
 * Judges what a component's `/healthz` and `/metrics` answered. Pure: the I/O is done by the caller.
 * `/healthz` not 200 (503 while draining) is CRITICAL; metrics of neither a hub nor a relay are UNKNOWN.
 *
 * @example
 * ```ts
 * evaluateHealth({ healthz: 200, metrics: text }, {}).line // 'FEDMSG OK - hub: 1200 received, …'
 * ```
 */
export function evaluateHealth(
  answer: { readonly healthz: number; readonly metrics: string },
  thresholds: CheckThresholds,
): CheckResult {
  if (answer.healthz !== 200) {
    return result('CRITICAL', `/healthz answered ${answer.healthz} (stopping or unwell)`, [])
  }
  const samples = new PrometheusSamples(answer.metrics)
  const kind = samples.has('fedmsg_hub_messages_received_total')
    ? 'hub'
    : samples.has('fedmsg_relay_messages_received_total')
      ? 'relay'
      : undefined
  if (kind === undefined)
    return result('UNKNOWN', '/metrics has no fedmsg hub or relay counters', [])
  const t = { ...CHECK_DEFAULTS, ...thresholds }
  const received = samples.sum(`fedmsg_${kind}_messages_received_total`)
  const rejected = samples.sum(`fedmsg_${kind}_messages_rejected_total`)
  const rejectPct = received === 0 ? 0 : (100 * rejected) / received
  const measures: Measure[] = [
    {
      label: 'reject_pct',
      value: Number(rejectPct.toFixed(2)),
      warning: t.rejectWarning,
      critical: t.rejectCritical,
      text: `${received} received, ${rejectPct.toFixed(2)}% rejected`,
    },
  ]
  if (kind === 'hub') {
    const silent = samples.sum('fedmsg_hub_silent_publishers')
    const drops =
      samples.sum('fedmsg_hub_consumer_dropped_total') +
      samples.sum('fedmsg_trigger_messages_dropped_total')
    measures.push(
      {
        label: 'silent',
        value: silent,
        warning: t.silentWarning,
        critical: t.silentCritical,
        text: `${silent} silent publishers`,
      },
      {
        label: 'drops',
        value: drops,
        warning: t.dropsWarning,
        critical: t.dropsCritical,
        text: `${drops} dropped`,
      },
    )
  }
  const state = measures.some((m) => reached(m.value, m.critical))
    ? 'CRITICAL'
    : measures.some((m) => reached(m.value, m.warning))
      ? 'WARNING'
      : 'OK'
  return result(state, `${kind}: ${measures.map((m) => m.text).join(', ')}`, measures)
}

function reached(value: number, threshold: number | undefined): boolean {
  return threshold !== undefined && value >= threshold
}

function result(state: CheckState, text: string, measures: readonly Measure[]): CheckResult {
  const perf = measures.map((m) => `${m.label}=${m.value};${m.warning ?? ''};${m.critical ?? ''}`)
  return {
    state,
    line: `FEDMSG ${state} - ${text}${perf.length > 0 ? ` | ${perf.join(' ')}` : ''}`,
  }
}
