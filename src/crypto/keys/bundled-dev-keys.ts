import { createHash } from 'node:crypto'
import { readFileSync, realpathSync } from 'node:fs'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUNDLED_DEV_KEY_SHA256 } from './bundled-dev-key-digests.js'

/**
 * The development CA shipped inside the package (`certs/dev`). Its private keys are public, so it may only
 * ever be trusted with `environment: "dev"`.
 *
 * This file lives in `src/crypto/keys/` and compiles to `dist/crypto/keys/`: the package root is three levels up either way.
 */
export const BUNDLED_DEV_CA_DIR = fileURLToPath(new URL('../../../certs/dev', import.meta.url))

const DIGESTS = new Set(BUNDLED_DEV_KEY_SHA256)

/**
 * True when `path` is one of the bundled dev CA's own private keys, as shipped: the file lies inside this
 * package's `certs/dev` (symlinks followed) and its bytes are exactly those of a key the package ships.
 *
 * Such a key is public whatever its file mode, so the mode rule, which guards a key's secrecy, has nothing to
 * protect there; and npm keeps no file mode, so an installed package has these keys at 0644. A copy
 * elsewhere, or a changed file, gets the rule like any other key.
 */
export function isBundledDevKey(path: string): boolean {
  try {
    const file = realpathSync(path)
    if (!file.startsWith(realpathSync(BUNDLED_DEV_CA_DIR) + sep)) return false
    return DIGESTS.has(createHash('sha256').update(readFileSync(file)).digest('hex'))
  } catch {
    return false // no such file, or no certs/dev next to this build: not a shipped key
  }
}
