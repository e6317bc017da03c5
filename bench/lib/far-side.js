// @ts-check
/**
 * The far side of a forwarding benchmark: a SUB socket that counts what arrives, and the rate it sees over a
 * window while a traffic process sends. Counting at the receiver, not at the sender, measures what actually
 * got through.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Subscriber } from 'zeromq'

/** The far side has settled when nothing more arrived for this long (a PUB may have dropped the rest). */
const QUIET_MS = 50
/** `primed()` gives up after this long. */
const PRIME_TIMEOUT_MS = 10_000

/**
 * @typedef {object} Counter
 * @property {() => number} count messages received so far
 * @property {() => Promise<void>} quiet resolves once nothing has arrived for QUIET_MS
 * @property {() => void} close
 */

/**
 * A SUB socket connected to `address`, subscribed to everything, counting messages.
 *
 * @param {string} address
 * @param {number} hwm ZMQ_RCVHWM
 * @returns {Counter}
 */
export function countingSubscriber(address, hwm) {
  const socket = new Subscriber({ linger: 0, receiveHighWaterMark: hwm })
  socket.subscribe()
  socket.connect(address)
  let received = 0
  void (async () => {
    for await (const message of socket) received += message.length > 0 ? 1 : 0
  })()
  return {
    count: () => received,
    quiet: () => settled({ count: () => received }, Number.POSITIVE_INFINITY),
    close: () => socket.close(),
  }
}

/**
 * Resolves once `counter` has counted `total` messages, or nothing more for QUIET_MS (a PUB may have dropped
 * the rest).
 *
 * @param {Pick<Counter, 'count'>} counter
 * @param {number} total
 */
export async function settled(counter, total) {
  for (let last = -1, quietMs = 0; counter.count() < total && quietMs < QUIET_MS; quietMs += 5) {
    if (counter.count() !== last) quietMs = 0
    last = counter.count()
    await sleep(5)
  }
}

/**
 * Runs `send` (traffic lasting `ms`; resolves with how many messages it sent when it stopped) for warmupMs +
 * windowMs + a tail, and returns the rate `counter` saw over the window, after the warm-up. Returns once the
 * far side has settled, so that the next measurement starts on an idle path.
 *
 * @template {{ sent: number }} T
 * @param {Counter} counter
 * @param {(ms: number) => Promise<T>} send
 * @param {{ warmupMs: number, windowMs: number }} timing
 * @param {{ start(): void, end(): void }} [window] called as the window starts and as it ends
 * @returns {Promise<{ perSecond: number, sent: T }>}
 */
export async function farSideRate(counter, send, { warmupMs, windowMs }, window) {
  const start = counter.count()
  const sending = send(warmupMs + windowMs + QUIET_MS)
  await sleep(warmupMs)
  window?.start()
  const before = { count: counter.count(), at: performance.now() }
  await sleep(windowMs)
  const after = { count: counter.count(), at: performance.now() }
  window?.end()
  const sent = await sending
  await settled(counter, start + sent.sent)
  return { perSecond: ((after.count - before.count) * 1000) / (after.at - before.at), sent }
}

/**
 * Sends short bursts until the far side has seen a message: ZeroMQ subscriptions take a moment to reach a
 * publisher (the slow-joiner problem), and a rate measured before that would be zero.
 *
 * @param {Counter} counter
 * @param {() => Promise<{ sent: number }>} burst
 */
export async function primed(counter, burst) {
  const deadline = performance.now() + PRIME_TIMEOUT_MS
  while (counter.count() === 0) {
    if (performance.now() > deadline) throw new Error('the far side received nothing')
    const start = counter.count()
    const { sent } = await burst()
    await settled(counter, start + sent)
  }
}
