import { XPublisher } from 'zeromq'
import type { CurveConfig, FedmsgConfig } from '../config/config-types.js'
import { bindAddress } from '../transport/bind-address.js'
import { SendQueue } from './send-queue.js'
import { SubscriptionWatch } from './subscription-watch.js'
import {
  sendingSocketOptions,
  curveServerOptions,
  sendTimeoutFor,
  type SocketTuning,
} from '../transport/socket-options.js'

export interface SendOptions {
  /**
   * A message nobody awaits (a heartbeat): drain() does not wait for it, close() abandons it. Only the relay
   * path waits for anything after libzmq took a message, so only it treats these apart.
   */
  readonly background?: boolean
}

/** Where a publisher's frames go: its own bound PUB socket, or the relay's inbound socket. */
export interface PublishChannel {
  /** The addresses bound (PUB) or connected to (relay). */
  readonly endpoints: readonly string[]
  /** Messages accepted but not yet handed on. */
  readonly depth: number
  /**
   * Settles before the first message is handed on: true when the peers the channel waits for are there (the
   * relay path waits for none), false when the wait for subscribers timed out.
   */
  readonly ready: Promise<boolean>
  /** Resolves when the message is handed on: queued by libzmq (PUB), acknowledged by the relay (DEALER). */
  send(topic: string, frames: readonly [Buffer, Buffer], options?: SendOptions): Promise<void>
  /** Resolves when every accepted message but the background ones is handed on or failed. */
  drain(): Promise<void>
  /** Closes the socket; libzmq keeps flushing queued messages for ZMQ_LINGER ms. */
  close(): void
}

/** How long a bound publisher holds its first message until `subscribers` subscriptions arrived. */
export interface SubscriberWait {
  readonly subscribers: number
  readonly timeoutMs: number
}

/**
 * An XPUB socket bound to the service's endpoints, which hubs connect to. XPUB rather than PUB so that the
 * first message waits for the subscribers (see subscription-watch.ts); after that it sends as a PUB does.
 *
 * Back-pressure, honestly: a PUB socket never blocks. At a subscriber's ZMQ_SNDHWM libzmq drops that
 * subscriber's copies (per subscriber, silently), and `send()` still succeeds; the same holds while no
 * subscriber is connected (past the first message's wait). Neither `hwm_mode` can change that. What
 * `hwm_mode` governs here is the local queue in front of the socket (`throw`: HighWaterMark once
 * high_water_mark messages wait). Hubs see such drops as gaps in the publisher's sequence `i`. Publishers
 * that must not lose messages use the relay path.
 */
export async function openPubChannel(
  addresses: readonly string[],
  tuning: SocketTuning,
  mode: FedmsgConfig['hwm_mode'],
  curve: CurveConfig | undefined,
  wait: SubscriberWait,
): Promise<PublishChannel> {
  const socket = new XPublisher({
    ...sendingSocketOptions(tuning),
    sendTimeout: sendTimeoutFor(mode), // ZMQ_SNDTIMEO
    ...curveServerOptions(curve),
  })
  socket.verbosity = 'allSubsUnsubs' // ZMQ_XPUB_VERBOSER
  const endpoints: string[] = []
  try {
    for (const address of addresses) endpoints.push(await bindAddress(socket, address))
  } catch (error) {
    socket.close()
    throw error
  }
  const watch = new SubscriptionWatch(socket)
  // The bound starts at the bind, so a publisher that sends its first message late does not wait again.
  const ready = watch.waitFor(wait.subscribers, wait.timeoutMs)
  const queue = new SendQueue(socket, tuning.highWaterMark, mode)
  return {
    endpoints,
    get depth() {
      return queue.depth
    },
    ready,
    // Every send awaits the same promise, so their continuations, and the queue, keep call order.
    send: async (_topic, frames) => {
      await ready
      return queue.send(frames)
    },
    // Sends still waiting for `ready` are not in the queue yet: they enter it before this continuation runs.
    drain: async () => {
      await ready
      return queue.drained()
    },
    close: () => socket.close(),
  }
}
