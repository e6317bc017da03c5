// @ts-check
/**
 * What a traffic process sends: pre-signed messages from a pool, messages signed as they are sent, and two
 * kinds of forgeries an attacker can make without a key, each message distinct so that no cache absorbs them.
 */
import { randomBytes, randomUUID } from 'node:crypto'

/** @typedef {import('./pool-file.js').Frames} Frames */

/**
 * The next message to send, or undefined when there is none left.
 *
 * @typedef {() => Frames | undefined} Source
 */

/** Forgeries are spliced into a fresh genuine envelope this often, so that none is ever stale. */
const TEMPLATE_USES = 10_000

/** Bytes at the end of a certificate (inside its signature value) replaced to make it one never seen. */
const RANDOM_TAIL_BYTES = 16

/**
 * @param {readonly Frames[]} pool
 * @param {boolean} cycle start over at the end (only for receivers that do not check for replays)
 * @returns {Source}
 */
export function poolSource(pool, cycle) {
  let index = 0
  return () => {
    if (index === pool.length) {
      if (!cycle) return undefined
      index = 0
    }
    const message = pool[index]
    index += 1
    return message
  }
}

/**
 * Messages signed one by one as they are sent, each with the next `i` and its own msg_id.
 *
 * @param {import('../../dist/internal.js').EnvelopeSigner} signer
 * @param {{ topic: string, msg: Record<string, unknown> }} payload
 * @returns {Source}
 */
export function signingSource(signer, payload) {
  let i = 0
  return () => {
    i += 1
    const { topic, frame } = signer.sign({ topic: payload.topic, msg: payload.msg, i })
    return [Buffer.from(topic), frame]
  }
}

/**
 * Genuine envelopes of a valid chain with the signature replaced by random bytes of the right length and a
 * fresh msg_id: every check passes up to the signature (`bad_signature`), which costs the verifier a full
 * parse, a chain lookup and a `crypto.verify`.
 *
 * @param {import('../../dist/internal.js').EnvelopeSigner} signer
 * @param {{ topic: string, msg: Record<string, unknown> }} payload
 * @returns {Source}
 */
export function badSignatureSource(signer, payload) {
  return splicedSource(signer, payload, (text) => {
    const start = text.indexOf('"signature":"') + '"signature":"'.length
    const end = text.indexOf('"', start)
    const length = Buffer.from(text.slice(start, end), 'base64').length
    const idStart = text.indexOf('"msg_id":"') + '"msg_id":"'.length + 'YYYY-'.length
    const idEnd = idStart + randomUUID().length
    return () =>
      text.slice(0, idStart) +
      randomUUID() +
      text.slice(idEnd, start) +
      randomBytes(length).toString('base64') +
      text.slice(end)
  })
}

/**
 * Genuine envelopes whose x5c is one self-signed certificate never seen before: one of `selfSigned` with the
 * last bytes of its signature value replaced by random ones. No anchor issued it, so the chain is refused
 * (`untrusted_chain`) by its names before any signature is checked, exactly as a truly new self-signed
 * certificate would be, and every message is a new chain for the verifier's caches.
 *
 * @param {import('../../dist/internal.js').EnvelopeSigner} signer
 * @param {{ topic: string, msg: Record<string, unknown> }} payload
 * @param {readonly Uint8Array[]} selfSigned DER
 * @returns {Source}
 */
export function forgedChainSource(signer, payload, selfSigned) {
  let n = 0
  return splicedSource(signer, payload, (text) => {
    const x5c = text.lastIndexOf('"x5c":[')
    return () => {
      n += 1
      const der = Buffer.from(selfSigned[n % selfSigned.length])
      randomBytes(RANDOM_TAIL_BYTES).copy(der, der.length - RANDOM_TAIL_BYTES)
      return `${text.slice(0, x5c)}"x5c":["${der.toString('base64')}"]}`
    }
  })
}

/**
 * Messages made by `forge` from a genuine envelope's JCS text (in which `x5c` is the last member), the
 * envelope signed afresh every TEMPLATE_USES messages.
 *
 * @param {import('../../dist/internal.js').EnvelopeSigner} signer
 * @param {{ topic: string, msg: Record<string, unknown> }} payload
 * @param {(text: string) => () => string} forge
 * @returns {Source}
 */
function splicedSource(signer, payload, forge) {
  const topic = Buffer.from(payload.topic)
  let uses = TEMPLATE_USES
  let next = () => ''
  return () => {
    if (uses === TEMPLATE_USES) {
      const { frame } = signer.sign({ topic: payload.topic, msg: payload.msg, i: 1 })
      next = forge(frame.toString('utf8'))
      uses = 0
    }
    uses += 1
    return [topic, Buffer.from(next(), 'utf8')]
  }
}
