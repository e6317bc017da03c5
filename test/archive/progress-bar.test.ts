/** The progress bar of long runs: drawn on a terminal only, so logs and pipes never see it. */
import { describe, expect, it } from 'vitest'
import { ProgressBar } from '../../src/archive/progress-bar.js'

const streamOf = (isTTY: boolean) => {
  const written: string[] = []
  return { isTTY, written, write: (text: string) => written.push(text) }
}

describe('ProgressBar', () => {
  it('draws on a terminal, at most every 200 ms, and ends its line', () => {
    const tty = streamOf(true)
    const bar = new ProgressBar(tty, 200)
    bar.tick(50, 1000)
    bar.tick(60, 1100)
    bar.tick(100, 1200)
    bar.finish(200)
    expect(tty.written).toEqual([
      `\r[${'#'.repeat(8)}${'-'.repeat(22)}] 50/200 25%`,
      `\r[${'#'.repeat(15)}${'-'.repeat(15)}] 100/200 50%`,
      `\r[${'#'.repeat(30)}] 200/200 100%`,
      '\n',
    ])
  })

  it('writes nothing when the stream is not a terminal', () => {
    const pipe = streamOf(false)
    const bar = new ProgressBar(pipe, 10)
    bar.tick(5, 1000)
    bar.finish(10)
    expect(pipe.written).toEqual([])
  })
})
