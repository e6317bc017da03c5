// @ts-check
/**
 * The baselines of the relay figures: what a relay does with ZeroMQ alone, on the same socket types with the
 * same options, moving the same frames. Everything fedmsg's relay adds (frame-count check, counters, its send
 * queue, the acknowledgement codec, and a verifier when one is configured) is left out.
 */
import { Proxy, Publisher, Router, Subscriber } from 'zeromq'

/**
 * @typedef {object} Forwarder
 * @property {string} outbound the bound PUB address
 * @property {string} [inbound] the bound ROUTER address (inbound forwarder only)
 * @property {() => Promise<void>} close
 */

/** Socket options a relay sets (socket-options.ts), for a bench `hwm`; linger 0 as in the bench relays. */
const MAX_MESSAGE_BYTES = 1_048_576
/** @param {number} hwm */
const sending = (hwm) => ({ linger: 0, reconnectInterval: 100, sendHighWaterMark: hwm })
/** @param {number} hwm */
const receiving = (hwm) => ({
  linger: 0,
  reconnectInterval: 100,
  receiveHighWaterMark: hwm,
  maxMessageSize: MAX_MESSAGE_BYTES,
})

/** @param {number} hwm */
async function boundPublisher(hwm) {
  const socket = new Publisher(sending(hwm))
  await socket.bind('tcp://127.0.0.1:*')
  return socket
}

const OK = Buffer.from('ok')

/**
 * ROUTER → PUB, acknowledging each message to its DEALER as the relay's inbound does: read
 * [peer, request id, topic, envelope], send [topic, envelope], answer [peer, request id, "ok"].
 *
 * @param {number} hwm
 * @returns {Promise<Forwarder>}
 */
export async function startRouterForwarder(hwm) {
  const router = new Router({ ...receiving(hwm), sendHighWaterMark: hwm })
  const pub = await boundPublisher(hwm)
  await router.bind('tcp://127.0.0.1:*')
  const loop = (async () => {
    for await (const [peer, id, topic, envelope] of router) {
      await pub.send([topic, envelope])
      await router.send([peer, id, OK])
    }
  })()
  return {
    inbound: router.lastEndpoint ?? '',
    outbound: pub.lastEndpoint ?? '',
    async close() {
      router.close()
      await loop
      pub.close()
    },
  }
}

/**
 * SUB → PUB in a JavaScript loop, as the relay's upstream path is.
 *
 * @param {string} upstream
 * @param {number} hwm
 * @returns {Promise<Forwarder>}
 */
export async function startSubForwarder(upstream, hwm) {
  const sub = new Subscriber(receiving(hwm))
  sub.subscribe()
  sub.connect(upstream)
  const pub = await boundPublisher(hwm)
  const loop = (async () => {
    for await (const [topic, envelope] of sub) await pub.send([topic, envelope])
  })()
  return {
    outbound: pub.lastEndpoint ?? '',
    async close() {
      sub.close()
      await loop
      pub.close()
    },
  }
}

/**
 * SUB → PUB through libzmq's own `zmq_proxy`, in a native thread: no JavaScript per message at all.
 *
 * @param {string} upstream
 * @param {number} hwm
 * @returns {Promise<Forwarder>}
 */
export async function startNativeProxy(upstream, hwm) {
  const sub = new Subscriber(receiving(hwm))
  sub.subscribe()
  sub.connect(upstream)
  const pub = await boundPublisher(hwm)
  const proxy = new Proxy(sub, pub)
  const running = proxy.run()
  return {
    outbound: pub.lastEndpoint ?? '',
    async close() {
      proxy.terminate()
      await running
    },
  }
}
