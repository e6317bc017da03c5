import type { Writable } from 'zeromq'
import { HighWaterMark } from '../errors.js'

interface Entry {
  readonly frames: readonly Buffer[]
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/**
 * Hands messages to one ZeroMQ socket in call order, one `send()` at a time: zeromq.js refuses a second
 * pending send with EBUSY so that no hidden queue can get past the high-water mark. This queue is that
 * queue made explicit and bounded by `capacity` messages.
 *
 * Mode `wait`: every caller's promise resolves only when libzmq took its message, so a caller that awaits
 * each publish is held back by the socket (first come, first served: order is kept). Mode `throw`: with
 * `capacity` messages already waiting, the next one throws {@link HighWaterMark} at once. A socket configured with ZMQ_SNDTIMEO 0 (`throw`) rejects a send it
 * cannot queue with EAGAIN, which becomes {@link HighWaterMark} with the EAGAIN as its cause.
 */
export class SendQueue {
  readonly #socket: Writable
  readonly #capacity: number
  readonly #mode: 'wait' | 'throw'
  readonly #entries: Entry[] = []
  #pumping = false
  #idle: Promise<void> = Promise.resolve()
  #markIdle: () => void = () => undefined

  constructor(socket: Writable, capacity: number, mode: 'wait' | 'throw') {
    this.#socket = socket
    this.#capacity = capacity
    this.#mode = mode
  }

  /** Messages accepted but not yet handed to libzmq. */
  get depth(): number {
    return this.#entries.length
  }

  /** Resolves once libzmq has taken `frames` (queued them for its peers). */
  async send(frames: readonly Buffer[]): Promise<void> {
    if (this.#mode === 'throw' && this.#entries.length >= this.#capacity) {
      throw new HighWaterMark(
        `the publish queue holds ${this.#capacity} messages (high_water_mark): slow down, or use hwm_mode "wait"`,
      )
    }
    return new Promise<void>((resolve, reject) => {
      this.#entries.push({ frames, resolve, reject })
      this.#pump()
    })
  }

  /** Resolves when every message accepted so far has been handed to libzmq or failed. */
  drained(): Promise<void> {
    return this.#pumping || this.depth > 0 ? this.#idle : Promise.resolve()
  }

  #pump(): void {
    if (this.#pumping) return
    this.#pumping = true
    this.#idle = new Promise<void>((resolve) => (this.#markIdle = resolve))
    void this.#run()
  }

  async #run(): Promise<void> {
    for (let entry = this.#entries.shift(); entry !== undefined; entry = this.#entries.shift()) {
      try {
        await this.#socket.send([...entry.frames])
        entry.resolve()
      } catch (error) {
        entry.reject(asQueueError(error))
      }
    }
    this.#pumping = false
    this.#markIdle()
  }
}

function asQueueError(error: unknown): unknown {
  if ((error as { code?: unknown }).code === 'EAGAIN') {
    return new HighWaterMark(
      'the socket is at its high-water mark (its peer is slow or absent): retry later, or use hwm_mode "wait"',
      { cause: error },
    )
  }
  return error
}
