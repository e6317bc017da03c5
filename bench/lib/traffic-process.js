// @ts-check
/**
 * Child process: sends messages into the bus as fast as the receiving socket takes them. Each target is one
 * socket: an XPUB it binds (ZMQ_XPUB_NODROP, so that a full subscriber holds the sender back instead of losing
 * messages, which also keeps this process from spinning) or a DEALER it connects to a relay's inbound, speaking
 * the relay protocol ([request id, topic, envelope]; the acks are read, as a publisher reads them).
 */
import { createPrivateKey } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Dealer, XPublisher } from 'zeromq'
import { EnvelopeSigner } from '../../dist/internal.js'
import { serveParent } from './child-process.js'
import {
  badSignatureSource,
  forgedChainSource,
  poolSource,
  signingSource,
} from './message-sources.js'
import { readPoolFile } from './pool-file.js'

/** @typedef {import('./message-sources.js').Source} Source */

/**
 * @typedef {object} Target
 * @property {XPublisher | Dealer} socket
 * @property {(sent: number) => Buffer[]} prefix frames sent before topic and envelope
 */

/** @type {Map<string, Target>} */
const targets = new Map()
/** @type {Map<string, Source>} sources keep their place across runs: a pool is never replayed by mistake */
const sources = new Map()
/** @type {import('./pool-file.js').Frames[]} */
let pool = []
/** @type {{ signer: EnvelopeSigner, payload: { topic: string, msg: Record<string, unknown> }, selfSigned: Uint8Array[] } | undefined} */
let forger

/** @param {string} name */
function targetOf(name) {
  const target = targets.get(name)
  if (target === undefined) throw new Error(`no target ${name}`)
  return target
}

/**
 * @param {string} kind
 * @param {boolean} cycle
 * @returns {Source}
 */
function sourceOf(kind, cycle) {
  if (kind === 'pool') return poolSource(pool, cycle)
  if (forger === undefined) throw new Error('call forger before a generated source')
  const { signer, payload, selfSigned } = forger
  if (kind === 'signed') return signingSource(signer, payload)
  if (kind === 'bad-signature') return badSignatureSource(signer, payload)
  if (kind === 'forged-chain') return forgedChainSource(signer, payload, selfSigned)
  throw new Error(`no source ${kind}`)
}

/**
 * Sends, waiting while the receiver's queue is full. An XPUB with ZMQ_XPUB_NODROP answers EAGAIN then but still
 * polls as writable (libzmq's dist_t::has_out is always true), so zeromq.js cannot wait for it: this retries
 * after a millisecond, which the receiver's HWM-deep queue easily covers.
 *
 * @param {XPublisher | Dealer} socket
 * @param {Buffer[]} frames
 */
async function sendHeldBack(socket, frames) {
  for (;;) {
    try {
      return await socket.send(frames)
    } catch (error) {
      if (/** @type {{ code?: unknown }} */ (error).code !== 'EAGAIN') throw error
      await sleep(1)
    }
  }
}

/**
 * Reads the relay's acks until the socket closes, as a publisher does. They are not checked here: the relay
 * benchmark checks the verifying relay's own counters.
 *
 * @param {Dealer} socket
 */
async function readAcks(socket) {
  let acks = 0
  for await (const frames of socket) acks += frames.length > 0 ? 1 : 0
  return acks
}

serveParent({
  /** Replaces the pool; every target starts again at its first message. */
  load(/** @type {{ path: string }} */ { path }) {
    pool = readPoolFile(path)
    for (const key of sources.keys()) if (key.endsWith('/pool')) sources.delete(key)
    return pool.length
  },
  forger(
    /** @type {{ certificates: Uint8Array[], pkcs8: Uint8Array, payload: { topic: string, msg: Record<string, unknown> }, selfSigned: Uint8Array[] }} */ args,
  ) {
    const privateKey = createPrivateKey({
      key: Buffer.from(args.pkcs8),
      format: 'der',
      type: 'pkcs8',
    })
    const signer = new EnvelopeSigner({ certificates: args.certificates, privateKey })
    forger = { signer, payload: args.payload, selfSigned: args.selfSigned }
  },
  async bind(/** @type {{ name: string, hwm: number }} */ { name, hwm }) {
    const socket = new XPublisher({
      ...{ linger: 0, sendHighWaterMark: hwm, noDrop: true },
      sendTimeout: 0, // ZMQ_SNDTIMEO: EAGAIN at once when full (see sendHeldBack)
    })
    await socket.bind('tcp://127.0.0.1:*')
    targets.set(name, { socket, prefix: () => [] })
    return socket.lastEndpoint
  },
  connect(/** @type {{ name: string, address: string, hwm: number }} */ { name, address, hwm }) {
    const socket = new Dealer({ linger: 0, sendHighWaterMark: hwm, receiveHighWaterMark: hwm })
    socket.connect(address)
    const prefix = (/** @type {number} */ sent) => {
      const id = Buffer.alloc(8)
      id.writeBigUInt64BE(BigInt(sent))
      return [id]
    }
    targets.set(name, { socket, prefix })
    void readAcks(socket)
  },
  /** Resolves when the XPUB has a subscriber (its subscription message arrived). */
  async subscribed(/** @type {{ name: string }} */ { name }) {
    const { socket } = targetOf(name)
    if (!(socket instanceof XPublisher)) throw new Error(`${name} is not an XPUB`)
    for (;;) {
      const [message] = await socket.receive()
      if (message?.[0] === 1) return
    }
  },
  /**
   * Sends from `source` to target `name` until `ms` have passed or `count` messages went (whichever is given
   * first), as fast as the socket takes them.
   */
  async run(
    /** @type {{ name: string, source: string, cycle?: boolean, ms?: number, count?: number }} */ args,
  ) {
    const { socket, prefix } = targetOf(args.name)
    const key = `${args.name}/${args.source}`
    let source = sources.get(key)
    if (source === undefined) {
      source = sourceOf(args.source, args.cycle ?? false)
      sources.set(key, source)
    }
    const started = performance.now()
    const deadline = started + (args.ms ?? Number.POSITIVE_INFINITY)
    const count = args.count ?? Number.POSITIVE_INFINITY
    let sent = 0
    let exhausted = false
    while (sent < count && (sent % 16 !== 0 || performance.now() < deadline)) {
      const message = source()
      if (message === undefined) {
        exhausted = true
        break
      }
      await sendHeldBack(socket, [...prefix(sent), ...message])
      sent += 1
    }
    return { sent, ms: performance.now() - started, exhausted }
  },
  close() {
    for (const { socket } of targets.values()) socket.close()
  },
})
