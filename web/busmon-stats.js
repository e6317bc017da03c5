// The bus's numbers, as the gateway counts them (GET /stats): verified messages by service (the signer's
// certificate name) turned into rates, and the gateway verifier's rejections by reason. These are counts the
// server reports, not messages: the browser verifies messages, it cannot verify a count.

const POLL_MS = 2000
/** Rates are averaged over this long, so that one poll's jitter does not make them jump. */
const WINDOW_MS = 10_000

/** Polls /stats and keeps the two tables up to date. */
export function watchStats(rates, rejections) {
  const samples = []
  const poll = async () => {
    let stats
    try {
      const response = await fetch('/stats', { cache: 'no-store' })
      if (!response.ok) return
      stats = await response.json()
    } catch {
      return
    }
    const now = Date.now()
    samples.push({ at: now, counts: stats.verifiedBySigner })
    while (samples.length > 2 && samples[1].at <= now - WINDOW_MS) samples.shift()
    showRates(rates, samples[0], samples.at(-1))
    showRejections(rejections, stats.rejected)
  }
  void poll()
  setInterval(poll, POLL_MS)
}

function showRates(table, first, last) {
  const seconds = (last.at - first.at) / 1000
  const services = Object.keys(last.counts).sort()
  table.tBodies[0].replaceChildren(
    ...services.map((service) => {
      const total = last.counts[service]
      const perSecond = seconds > 0 ? (total - (first.counts[service] ?? 0)) / seconds : 0
      return row({ service }, [service, perSecond.toFixed(1), String(total)])
    }),
  )
}

function showRejections(table, counts) {
  const reasons = Object.keys(counts)
    .filter((reason) => counts[reason] > 0)
    .sort()
  table.tBodies[0].replaceChildren(
    ...(reasons.length === 0
      ? [row({}, ['none', '0'])]
      : reasons.map((reason) => row({ reason }, [reason, String(counts[reason])]))),
  )
}

function row(data, cells) {
  const tr = document.createElement('tr')
  Object.assign(tr.dataset, data)
  for (const text of cells) {
    const td = document.createElement('td')
    td.textContent = text
    tr.append(td)
  }
  return tr
}
