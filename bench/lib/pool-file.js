// @ts-check
/**
 * Pre-signed messages handed from a benchmark to its traffic process through a temp file (tens of MB, too much
 * for the IPC channel): each message is its topic frame and its envelope frame, each preceded by its length
 * as a 32-bit big-endian integer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** @typedef {readonly [topic: Buffer, envelope: Buffer]} Frames */

/**
 * Writes `messages` to a new temp file; `remove()` deletes it (and its directory).
 *
 * @param {readonly { topicFrame: Buffer, frame: Buffer }[]} messages
 * @returns {{ path: string, remove: () => void }}
 */
export function writePoolFile(messages) {
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-'))
  const path = join(dir, 'pool.bin')
  const parts = []
  for (const { topicFrame, frame } of messages) {
    for (const bytes of [topicFrame, frame]) {
      const length = Buffer.alloc(4)
      length.writeUInt32BE(bytes.length)
      parts.push(length, bytes)
    }
  }
  writeFileSync(path, Buffer.concat(parts))
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * @param {string} path
 * @returns {Frames[]}
 */
export function readPoolFile(path) {
  const bytes = readFileSync(path)
  /** @type {Frames[]} */
  const messages = []
  let offset = 0
  const next = () => {
    const length = bytes.readUInt32BE(offset)
    const frame = bytes.subarray(offset + 4, offset + 4 + length)
    offset += 4 + length
    return frame
  }
  while (offset < bytes.length) messages.push([next(), next()])
  return messages
}
