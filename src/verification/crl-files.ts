import { readFile, stat } from 'node:fs/promises'
import { CrlInvalid } from '../errors.js'

/** What identifies a version of a set of files: inode, size and times of each, or `missing`. */
export async function filesSignature(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    files.map(async (file) => {
      try {
        const s = await stat(file, { bigint: true })
        return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
      } catch {
        return 'missing'
      }
    }),
  )
  return parts.join('|')
}

const BEGIN_LINE = /^-----BEGIN [^\n]*-----$/gm
const WHOLE_BLOCK = /^-----BEGIN ([^\n]*)-----$[\s\S]*?^-----END \1-----$/gm

/**
 * The text of each CRL file, read whole, or undefined when a file changed while it was read (read again
 * later). Throws CrlInvalid for a file with a PEM block that never ends: a file cut short, or read while it
 * was written in place, would otherwise install the blocks before the cut as if they were the whole set.
 */
export async function readCrlFiles(
  files: readonly string[],
  expected: string,
): Promise<readonly string[] | undefined> {
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')))
  if ((await filesSignature(files)) !== expected) return undefined
  texts.forEach((text, index) => assertWholeBlocks(files[index]!, text.replace(/\r/g, '')))
  return texts
}

function assertWholeBlocks(file: string, text: string): void {
  const begun = text.match(BEGIN_LINE)?.length ?? 0
  const whole = text.match(WHOLE_BLOCK)?.length ?? 0
  if (begun !== whole) {
    throw new CrlInvalid(
      `${file}: a PEM block is not terminated (the file is cut short or was being written): replace CRL files atomically (write a temporary file, then rename it over)`,
    )
  }
}
