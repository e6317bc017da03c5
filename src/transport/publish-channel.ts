import { Publisher } from 'zeromq'
import type { CurveConfig, FedmsgConfig } from '../config/config-types.js'
import { bindAddress } from './bind-address.js'
import { SendQueue } from './send-queue.js'
import {
  sendingSocketOptions,
  curveServerOptions,
  sendTimeoutFor,
  type SocketTuning,
} from './socket-options.js'

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
  /** Resolves when the message is handed on: queued by libzmq (PUB), acknowledged by the relay (DEALER). */
  send(topic: string, frames: readonly [Buffer, Buffer], options?: SendOptions): Promise<void>
  /** Resolves when every accepted message but the background ones is handed on or failed. */
  drain(): Promise<void>
  /** Closes the socket; libzmq keeps flushing queued messages for ZMQ_LINGER ms. */
  close(): void
}

/**
 * A PUB socket bound to the service's endpoints, which hubs connect to.
 *
 * Back-pressure, honestly: a PUB socket never blocks. At a subscriber's ZMQ_SNDHWM libzmq drops that
 * subscriber's copies (per subscriber, silently), and `send()` still succeeds; the same holds while no
 * subscriber is connected. Neither `hwm_mode` can change that. What `hwm_mode` governs here is the local
 * queue in front of the socket (`throw`: HighWaterMark once high_water_mark messages wait). Hubs see such
 * drops as gaps in the publisher's sequence `i`. Publishers that must not lose messages use the relay path.
 */
export async function openPubChannel(
  addresses: readonly string[],
  tuning: SocketTuning,
  mode: FedmsgConfig['hwm_mode'],
  curve: CurveConfig | undefined,
): Promise<PublishChannel> {
  const socket = new Publisher({
    ...sendingSocketOptions(tuning),
    sendTimeout: sendTimeoutFor(mode), // ZMQ_SNDTIMEO
    ...curveServerOptions(curve),
  })
  const endpoints: string[] = []
  try {
    for (const address of addresses) endpoints.push(await bindAddress(socket, address))
  } catch (error) {
    socket.close()
    throw error
  }
  const queue = new SendQueue(socket, tuning.highWaterMark, mode)
  return {
    endpoints,
    get depth() {
      return queue.depth
    },
    send: (_topic, frames) => queue.send(frames),
    drain: () => queue.drained(),
    close: () => socket.close(),
  }
}
