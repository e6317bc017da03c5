import { Dealer } from 'zeromq'
import type { CurveConfig, FedmsgConfig } from '../config/config-types.js'
import { Closed, RelayRejected, RelayTimeout } from '../errors.js'
import type { PublishChannel, SendOptions } from './publish-channel.js'
import { decodeAck, RequestIds, requestKey } from '../transport/relay-protocol.js'
import { SendQueue } from './send-queue.js'
import {
  curveClientOptions,
  duplexSocketOptions,
  sendTimeoutFor,
  type SocketTuning,
} from '../transport/socket-options.js'

/** How long a publisher waits for the relay's acknowledgement by default. */
export const DEFAULT_ACK_TIMEOUT_MS = 10_000

interface Pending {
  readonly topic: string
  /** A heartbeat: drain() does not wait for its acknowledgement. */
  readonly background: boolean
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
  timer?: ReturnType<typeof setTimeout>
}

/**
 * A DEALER socket connected to the relay's inbound ROUTER (see relay-protocol.ts). A DEALER queues messages
 * until the relay is reachable and across reconnects, so a short-lived publisher loses nothing to the
 * slow-joiner problem; `send()` resolves only when the relay acknowledged the message, and rejects with
 * {@link RelayRejected} (the relay's verifier refused it) or {@link RelayTimeout} (no answer in time).
 *
 * `drain()` waits for the acknowledgement of every message but heartbeats (`background`): a closing
 * publisher whose relay is away must not outlive the last caller's timeout by a heartbeat's.
 *
 * Back-pressure is real here: a DEALER blocks at ZMQ_SNDHWM, so `hwm_mode` `wait` waits for room and
 * `throw` (ZMQ_SNDTIMEO 0) throws HighWaterMark with ZeroMQ's EAGAIN as the cause.
 */
export function openRelayChannel(
  address: string,
  tuning: SocketTuning,
  mode: FedmsgConfig['hwm_mode'],
  curve: CurveConfig | undefined,
  ackTimeoutMs: number,
): PublishChannel {
  const socket = new Dealer({
    ...duplexSocketOptions(tuning),
    sendTimeout: sendTimeoutFor(mode), // ZMQ_SNDTIMEO
    ...curveClientOptions(curve),
  })
  socket.connect(address)
  const queue = new SendQueue(socket, tuning.highWaterMark, mode)
  const ids = new RequestIds()
  const pending = new Map<string, Pending>()
  const settled = new Set<Promise<void>>()

  const settle = (key: string, error?: unknown) => {
    const entry = pending.get(key)
    if (entry === undefined) return // late ack after a timeout: the caller was already told
    pending.delete(key)
    clearTimeout(entry.timer)
    if (error === undefined) entry.resolve()
    else entry.reject(error)
  }

  // Ends when the socket closes.
  void (async () => {
    for await (const [requestId, status] of socket) {
      if (requestId === undefined || status === undefined) continue
      const key = requestKey(requestId)
      const topic = pending.get(key)?.topic ?? ''
      const ack = decodeAck(status)
      settle(key, ack.ok ? undefined : new RelayRejected(topic, ack.reason))
    }
  })()

  const send = async (
    topic: string,
    [topicFrame, envelope]: readonly [Buffer, Buffer],
    options: SendOptions = {},
  ) => {
    const requestId = ids.next()
    const key = requestKey(requestId)
    const background = options.background === true
    const acked = new Promise<void>((resolve, reject) =>
      pending.set(key, { topic, background, resolve, reject }),
    )
    if (!background) {
      const tracked = acked.then(
        () => undefined,
        () => undefined,
      )
      settled.add(tracked)
      void tracked.then(() => settled.delete(tracked))
    }
    try {
      await queue.send([requestId, topicFrame, envelope])
    } catch (error) {
      settle(key, error)
      return acked
    }
    const entry = pending.get(key)
    if (entry !== undefined) {
      entry.timer = setTimeout(
        () => settle(key, new RelayTimeout(topic, ackTimeoutMs, address)),
        ackTimeoutMs,
      )
    }
    return acked
  }

  return {
    endpoints: [address],
    get depth() {
      return queue.depth + pending.size
    },
    // A DEALER queues until the relay is reachable: nothing to wait for.
    ready: Promise.resolve(true),
    send,
    async drain() {
      await queue.drained()
      await Promise.all([...settled])
    },
    close() {
      socket.close()
      for (const key of [...pending.keys()]) {
        settle(key, new Closed('the publisher closed before the relay acknowledged the message'))
      }
    },
  }
}
