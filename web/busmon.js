// The gateway's web view. Every message is verified here, in this browser, by the fedmsg/browser module
// against the trust anchors the page loaded: the mark on a row is never the server's word. Message data only
// ever reaches the page through textContent, never as HTML.
import { BrowserVerifier } from '/fedmsg-browser.js'
import { watchStats } from '/busmon-stats.js'

const MAX_ROWS = 500
const $ = (id) => document.getElementById(id)
const anchors = await (await fetch('/trust-anchors.pem')).text()
const verifier = new BrowserVerifier({ trustAnchors: [anchors] })
// History is old by nature: its rows are checked like live ones except for the age limit (maxAgeMs null).
const historyVerifier = new BrowserVerifier({ trustAnchors: [anchors], maxAgeMs: null })
const rows = new Map()
let paused = false
let socket

function connect() {
  socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`)
  socket.addEventListener('open', () => {
    $('status').textContent = 'live'
    subscribe()
  })
  socket.addEventListener('close', (event) => {
    $('status').textContent = `disconnected (${event.code})`
  })
  socket.addEventListener('message', (event) => void onFrame(JSON.parse(event.data)))
}

function subscribe() {
  const pattern = $('topic').value.trim() || '>'
  socket.send(JSON.stringify({ op: 'subscribe', patterns: [pattern] }))
  socket.send(JSON.stringify({ op: 'history', pattern, limit: 50 }))
}

async function onFrame(frame) {
  if (frame.type === 'message') await show(frame, false)
  else if (frame.type === 'history') {
    $('history').textContent = `history: ${frame.messages.length} from ${frame.source}`
    // Oldest first: each goes below the rows already shown, newest of the history first.
    for (const message of [...frame.messages].reverse()) await show(message, true)
  }
}

async function show({ topic, envelope }, fromHistory) {
  if (paused) return
  const pattern = $('topic').value.trim() || '>'
  if (!matches(pattern, topic)) return
  const result = await (fromHistory ? historyVerifier : verifier).verify(topic, envelope)
  const claimed = claimedFields(envelope)
  const id = result.ok ? result.message.msgId : claimed.msg_id
  // A message both live and in the history is shown once; a tampered copy of it is still shown, failed.
  if (rows.has(id) && (result.ok || result.reason === 'replay')) return
  const signerFilter = $('signer').value.trim()
  const signer = result.ok ? result.message.signer : ''
  if (signerFilter !== '' && signer !== signerFilter) return
  const row = document.createElement('li')
  row.tabIndex = 0
  row.dataset.msgId = id ?? ''
  row.dataset.verified = String(result.ok)
  row.dataset.topic = topic
  if (fromHistory) row.dataset.history = 'true'
  for (const text of [
    new Date(claimed.timestamp ?? 0).toISOString().slice(11, 19),
    topic,
    result.ok ? signer : `(${result.reason})`,
    (result.ok ? '✔ verified' : '✘ failed') + (fromHistory ? ' (history)' : ''),
  ]) {
    const cell = document.createElement('span')
    cell.textContent = text
    row.append(cell)
  }
  row.lastChild.className = 'mark'
  const select = () => detail(topic, result, claimed)
  row.addEventListener('click', select)
  row.addEventListener('keydown', (event) => event.key === 'Enter' && select())
  rows.set(row.dataset.msgId, row)
  if (fromHistory) $('stream').append(row)
  else $('stream').prepend(row)
  while ($('stream').children.length > MAX_ROWS) $('stream').lastChild.remove()
}

function claimedFields(envelope) {
  try {
    return JSON.parse(envelope)
  } catch {
    return {}
  }
}

function detail(topic, result, claimed) {
  const entries = [
    ['Topic', topic],
    ['Verified in this browser', result.ok ? 'yes' : `no: ${result.reason} (${result.detail})`],
    ['Signer', result.ok ? result.message.signer : '—'],
    ['Algorithm', String(claimed.alg)],
    ['Chain', `${Array.isArray(claimed.x5c) ? claimed.x5c.length : 0} certificate(s)`],
  ]
  $('detail').replaceChildren(
    ...entries.flatMap(([term, value]) => {
      const dt = document.createElement('dt')
      const dd = document.createElement('dd')
      dt.textContent = term
      dd.textContent = value
      return [dt, dd]
    }),
  )
  $('body').textContent = JSON.stringify(claimed.msg, null, 2)
}

// The pattern rules of docs/protocol.md §6: `*` one token, `>` the rest.
function matches(pattern, topic) {
  const p = pattern.split('.')
  const t = topic.split('.')
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return t.length > i
    if (i >= t.length || (p[i] !== '*' && p[i] !== t[i])) return false
  }
  return p.length === t.length
}

$('pause').addEventListener('click', () => {
  paused = !paused
  $('pause').setAttribute('aria-pressed', String(paused))
  $('pause').textContent = paused ? 'Resume' : 'Pause'
})
$('topic').addEventListener('change', () => {
  $('stream').replaceChildren()
  rows.clear()
  socket.close()
  watchStats($('rates'), $('rejections'))
  connect()
})
$('signer').addEventListener('change', () => {
  for (const row of $('stream').children) row.hidden = false
})
watchStats($('rates'), $('rejections'))
connect()
