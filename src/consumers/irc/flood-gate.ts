/** One line for one channel. */
export interface IrcLine {
  readonly target: string
  readonly text: string
}

export interface FloodGateOptions {
  readonly linesPerSecond: number
  readonly burst: number
  readonly queueSize: number
  /** Sends a line now; false when it could not (not connected): the line stays queued. */
  readonly send: (line: IrcLine) => boolean
  readonly now?: () => number
}

export interface FloodGateStats {
  readonly sent: number
  readonly dropped: number
  readonly queueDepth: number
}

/**
 * A token bucket in front of the IRC connection: `burst` lines at once, then `linesPerSecond`. Lines wait in a
 * bounded queue while the bucket is empty or the bot is disconnected; past `queueSize` new lines are dropped
 * and counted, so a flood of messages costs bounded memory and never gets the bot kicked for flooding.
 */
export class FloodGate {
  readonly #options: FloodGateOptions
  readonly #now: () => number
  readonly #queue: IrcLine[] = []
  #tokens: number
  #refilledAt: number
  #timer: NodeJS.Timeout | undefined
  #sent = 0
  #dropped = 0

  constructor(options: FloodGateOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
    this.#tokens = options.burst
    this.#refilledAt = this.#now()
  }

  /** Queues a line; returns false (and counts it) when the queue is full. */
  offer(line: IrcLine): boolean {
    if (this.#queue.length >= this.#options.queueSize) {
      this.#dropped += 1
      return false
    }
    this.#queue.push(line)
    this.pump()
    return true
  }

  /** Sends what the bucket allows; called on each offer, each refill, and when the connection is back. */
  pump(): void {
    this.#refill()
    while (this.#queue.length > 0 && this.#tokens >= 1) {
      if (!this.#options.send(this.#queue[0]!)) return
      this.#queue.shift()
      this.#tokens -= 1
      this.#sent += 1
    }
    if (this.#queue.length > 0 && this.#timer === undefined) {
      const wait = Math.ceil(((1 - this.#tokens) * 1000) / this.#options.linesPerSecond)
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.pump()
      }, wait)
    }
  }

  /** Drops what is still queued (counted) and stops the timer. */
  close(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#dropped += this.#queue.splice(0).length
  }

  get queueDepth(): number {
    return this.#queue.length
  }

  stats(): FloodGateStats {
    return { sent: this.#sent, dropped: this.#dropped, queueDepth: this.#queue.length }
  }

  #refill(): void {
    const now = this.#now()
    const earned = ((now - this.#refilledAt) * this.#options.linesPerSecond) / 1000
    this.#tokens = Math.min(this.#options.burst, this.#tokens + earned)
    this.#refilledAt = now
  }
}
