// The gateway's web view. Every message is verified here, in this browser, by the fedmsg/browser module
// against the trust anchors the page loaded: the mark on a row is never the server's word. Message data only
// ever reaches the page through textContent, never as HTML.
import { BrowserVerifier } from '/fedmsg-browser.js'

const MAX_ROWS = 500
const $ = (id) => document.getElementById(id)
const anchors = await (await fetch('/trust-anchors.pem')).text()
const verifier = new BrowserVerifier({ trustAnchors: [anchors] })
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
  if (frame.type === 'message') await show(frame)
  else if (frame.type === 'history') for (const message of frame.messages) await show(message)
}

async function show({ topic, envelope }) {
  if (paused) return
  const pattern = $('topic').value.trim() || '>'
  if (!matches(pattern, topic)) return
  const result = await verifier.verify(topic, envelope)
  const claimed = claimedFields(envelope)
  const id = result.ok ? result.message.msgId : claimed.msg_id
  if (id !== undefined && rows.has(id) && result.ok === false && result.reason === 'replay') return
  const signerFilter = $('signer').value.trim()
  const signer = result.ok ? result.message.signer : ''
  if (signerFilter !== '' && signer !== signerFilter) return
  const row = document.createElement('li')
  row.tabIndex = 0
  row.dataset.msgId = id ?? ''
  row.dataset.verified = String(result.ok)
  row.dataset.topic = topic
  for (const text of [
    new Date(claimed.timestamp ?? 0).toISOString().slice(11, 19),
    topic,
    result.ok ? signer : `(${result.reason})`,
    result.ok ? '✔ verified' : '✘ failed',
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
  $('stream').prepend(row)
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
  connect()
})
$('signer').addEventListener('change', () => {
  for (const row of $('stream').children) row.hidden = false
})
connect()
