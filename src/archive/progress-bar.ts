/** Where a progress bar draws: stderr, or any stream with the same two members. */
export interface ProgressStream {
  readonly isTTY?: boolean
  write(text: string): unknown
}

/** Redraws at most this often, ms: a terminal need not see every one of a million rows. */
const REDRAW_MS = 200
const WIDTH = 30

/**
 * A one-line progress bar for long runs, drawn only on a terminal: on a pipe or a log file it writes nothing,
 * so stderr stays JSON log lines.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar(process.stderr, total)
 * bar.tick(done)
 * bar.finish()
 * ```
 */
export class ProgressBar {
  readonly #stream: ProgressStream
  readonly #total: number
  readonly #enabled: boolean
  #drawnAt = 0

  constructor(stream: ProgressStream, total: number) {
    this.#stream = stream
    this.#total = total
    this.#enabled = stream.isTTY === true
  }

  tick(done: number, now = Date.now()): void {
    if (!this.#enabled || now - this.#drawnAt < REDRAW_MS) return
    this.#drawnAt = now
    this.#draw(done)
  }

  /** Draws the final state and ends the line. */
  finish(done: number): void {
    if (!this.#enabled) return
    this.#draw(done)
    this.#stream.write('\n')
  }

  #draw(done: number): void {
    const share = this.#total === 0 ? 1 : Math.min(1, done / this.#total)
    const filled = Math.round(share * WIDTH)
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`
    this.#stream.write(`\r[${bar}] ${done}/${this.#total} ${Math.floor(share * 100)}%`)
  }
}
