import { readFileSync, statSync } from 'node:fs'
import { ConfigNotFound, KeyInsecure, KeyInvalid } from '../../errors.js'

/**
 * Reads a key passphrase from the first line of `path`. The file guards a key, so it gets the key's rule:
 * refused (`KeyInsecure`) when group or others can read it.
 *
 * @example
 * const passphrase = readPassphraseFile('/etc/fedmsg/ca.pass')
 */
export function readPassphraseFile(path: string): string {
  let text: string
  try {
    const mode = statSync(path).mode
    if ((mode & 0o077) !== 0) {
      throw new KeyInsecure(
        `passphrase file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${path}`,
      )
    }
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof KeyInsecure) throw error
    throw new ConfigNotFound(`cannot read passphrase file ${path}`, { cause: error })
  }
  const passphrase = text.split(/\r?\n/, 1)[0]!
  if (passphrase.length === 0) {
    throw new KeyInvalid(
      `passphrase file ${path} starts with an empty line: put the passphrase on line 1`,
    )
  }
  return passphrase
}
