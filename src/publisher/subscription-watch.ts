import type { XPublisher } from 'zeromq'

/**
 * Counts the subscriptions an XPUB socket holds, so that a publisher can hold its first message until the
 * subscribers it expects have subscribed (the ZeroMQ "slow joiner": a PUB socket drops every message sent
 * before a subscriber's subscription arrived, and a subscriber that connects to a freshly bound publisher
 * subscribes a few milliseconds after the bind).
 *
 * The socket must pass every subscription and unsubscription (ZMQ_XPUB_VERBOSER, zeromq.js `verbosity
 * "allSubsUnsubs"`): two hubs subscribing to the same prefix then count two, and a hub that disconnects
 * takes its count with it (libzmq sends its unsubscriptions). Reading them also keeps libzmq's queue of
 * subscription messages from growing for the life of the socket.
 */
export class SubscriptionWatch {
  #count = 0
  #closed = false
  readonly #waiters = new Set<() => void>()

  constructor(socket: XPublisher) {
    void this.#read(socket)
  }

  /** Subscriptions held now (a subscriber with two prefixes counts two). */
  get subscriptions(): number {
    return this.#count
  }

  /**
   * Resolves true once at least `count` subscriptions are held, false when `timeoutMs` passed first or the
   * socket closed.
   */
  waitFor(count: number, timeoutMs: number): Promise<boolean> {
    if (this.#count >= count) return Promise.resolve(true)
    if (this.#closed || timeoutMs <= 0) return Promise.resolve(false)
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (this.#count < count && !this.#closed) return
        finish(this.#count >= count)
      }
      const finish = (reached: boolean) => {
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve(reached)
      }
      const timer = setTimeout(() => finish(false), timeoutMs)
      this.#waiters.add(check)
    })
  }

  async #read(socket: XPublisher): Promise<void> {
    try {
      // Ends when the socket closes. Byte 1 subscribes, byte 0 unsubscribes (ZMTP 3.0 / ZMQ_XPUB).
      for await (const [frame] of socket) {
        if (frame?.[0] === 1) this.#count += 1
        else if (frame?.[0] === 0) this.#count = Math.max(0, this.#count - 1)
        this.#wake()
      }
    } finally {
      this.#closed = true
      this.#wake()
    }
  }

  #wake(): void {
    for (const check of [...this.#waiters]) check()
  }
}
