import { resolve } from 'node:path'
import { withCaLock } from './ca-lock.js'
import { assertNoCa, stageCaDirectory } from './ca-directory.js'
import { checkedCommonName } from './common-name.js'
import { createDirectory } from './created-directory.js'
import { createRootCertificate, validityFor } from './certificate-factory.js'
import { generateKeyPair, type KeyAlgorithm } from './key-pair.js'
import {
  DEFAULT_DAYS,
  DEFAULT_KEY_ALGORITHM,
  DEFAULT_ROOT_CN,
  lockOptionsOf,
  summarizeCa,
  type CaOperationOptions,
  type CaSummary,
} from './ca-operation-options.js'

export interface InitRootCaOptions extends CaOperationOptions {
  readonly dir: string
  /** Subject CN; default `fedmsg Root CA`. */
  readonly cn?: string
  /** Key algorithm; default `es256`. */
  readonly alg?: KeyAlgorithm
  readonly days?: number
  /** Destroy a CA already in `dir`. */
  readonly force?: boolean
  /** Encrypts the CA key (PKCS#8, AES-256-CBC). */
  readonly passphrase?: string
  /** Start of validity; default now. For tests that need back-dated hierarchies. */
  readonly notBefore?: Date
}

/**
 * Creates a self-signed root CA in `dir` (made 0700): basicConstraints CA:true and keyUsage
 * keyCertSign+cRLSign, both critical, with SKI and AKI. Throws `CaExists` if `dir` holds a CA and
 * `force` is not set, `UsageError` for a CN or dates a certificate cannot hold, `CaWriteFailed` when a file
 * cannot be written; a failed call leaves `dir` as it was (and removes it if it made it).
 *
 * @example
 * const root = await initRootCa({ dir: '/media/offline/fedmsg-root', cn: 'Example Root CA' })
 */
export async function initRootCa(options: InitRootCaOptions): Promise<CaSummary> {
  const dir = resolve(options.dir)
  const alg = options.alg ?? DEFAULT_KEY_ALGORITHM
  // Every input is checked before the first write, so a refused command leaves no trace.
  const cn = checkedCommonName(options.cn ?? DEFAULT_ROOT_CN)
  const validity = validityFor(options.days ?? DEFAULT_DAYS.root, options.notBefore)
  const directory = createDirectory(dir)
  try {
    return await withCaLock(
      dir,
      async () => {
        assertNoCa(dir, options.force ?? false)
        const keys = generateKeyPair(alg)
        const certificate = await createRootCertificate(cn, keys, validity)
        const staged = stageCaDirectory(
          dir,
          {
            certificate,
            privateKey: keys.privateKey,
            chain: [],
            root: certificate,
            passphrase: options.passphrase,
          },
          options.fs,
        )
        staged.commit()
        return summarizeCa(staged.layout, certificate, alg, options.passphrase !== undefined)
      },
      lockOptionsOf(options),
    )
  } catch (error) {
    directory.removeIfEmpty()
    throw error
  }
}
