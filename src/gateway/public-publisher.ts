import { Publisher } from 'zeromq'
import { bindAddress } from '../transport/bind-address.js'
import { sendingSocketOptions, type SocketTuning } from '../transport/socket-options.js'

/** Messages waiting for the public PUB socket; more are dropped and counted (memory stays bounded). */
const QUEUE_LIMIT = 10_000

/**
 * The gateway's public, read-only ZeroMQ PUB (fedmsg-gateway's role): it only sends, and it sends each
 * verified message's two frames exactly as they were verified. One send loop awaits every `send`, as
 * zeromq.js requires; a queue past QUEUE_LIMIT drops the newest message and counts it.
 */
export class PublicPublisher {
  readonly #socket: Publisher
  readonly #queue: [string, string][] = []
  #wake: (() => void) | undefined
  #closed = false
  readonly #loop: Promise<void>
  readonly address: string
  forwarded = 0
  dropped = 0

  private constructor(socket: Publisher, address: string) {
    this.#socket = socket
    this.address = address
    this.#loop = this.#run()
  }

  /** Binds the PUB socket at `address` with the bus's socket options (HWM, linger, send timeout). */
  static async bind(address: string, tuning: SocketTuning): Promise<PublicPublisher> {
    const socket = new Publisher(sendingSocketOptions(tuning))
    try {
      return new PublicPublisher(socket, await bindAddress(socket, address))
    } catch (error) {
      socket.close()
      throw error
    }
  }

  offer(topic: string, envelope: string): void {
    if (this.#closed) return
    if (this.#queue.length >= QUEUE_LIMIT) {
      this.dropped++
      return
    }
    this.#queue.push([topic, envelope])
    this.#wake?.()
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#wake?.()
    await this.#loop
    this.#socket.close()
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      const next = this.#queue.shift()
      if (next === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve))
        this.#wake = undefined
        continue
      }
      try {
        await this.#socket.send(next)
        this.forwarded++
      } catch {
        // EAGAIN at the high-water mark (sendTimeout): the public side is best effort, the bus is not slowed.
        this.dropped++
      }
    }
  }
}
