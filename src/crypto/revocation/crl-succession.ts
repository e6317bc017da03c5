import { CrlInvalid } from '../../errors.js'
import { decodePemBlocks, PEM_LABEL } from '../pem.js'
import { x509 } from '../x509.js'

/** Per issuer (its DER name, hex): its name for messages and the newest thisUpdate of its CRLs, in ms. */
export type CrlIssuerTimes = ReadonlyMap<
  string,
  { readonly issuer: string; readonly thisUpdate: number }
>

/**
 * The issuers a set of CRL files (PEM texts) names, each with the newest thisUpdate among its CRLs.
 * Throws when a block does not parse.
 *
 * @example
 * ```ts
 * const times = crlIssuerTimes([readFileSync('/etc/fedmsg/crl.pem', 'utf8')])
 * ```
 */
export function crlIssuerTimes(texts: readonly string[]): CrlIssuerTimes {
  const times = new Map<string, { issuer: string; thisUpdate: number }>()
  for (const der of texts.flatMap((text) => decodePemBlocks(text, PEM_LABEL.crl))) {
    const crl = new x509.X509Crl(Buffer.from(der))
    const key = Buffer.from(crl.issuerName.toArrayBuffer()).toString('hex')
    const thisUpdate = crl.thisUpdate.getTime()
    if ((times.get(key)?.thisUpdate ?? -Infinity) < thisUpdate) {
      times.set(key, { issuer: crl.issuer, thisUpdate })
    }
  }
  return times
}

/**
 * Throws CrlInvalid unless `next` may replace `previous` in a running verifier: it must still name every
 * issuer, and none with an older CRL. Without a CRL, an issuer's certificates are not checked at all (unless
 * every issuer must have one), and an older CRL that is still current lacks the latest revocations: a reload
 * would silently accept revoked certificates again. Doing either on purpose takes a restart.
 */
export function assertCrlSuccession(previous: CrlIssuerTimes, next: CrlIssuerTimes): void {
  for (const [key, before] of previous) {
    const after = next.get(key)
    if (after === undefined) {
      throw new CrlInvalid(
        `the new CRL files have no CRL of ${before.issuer}, whose certificates would go unchecked: put its CRL back, or restart to stop checking it`,
      )
    }
    if (after.thisUpdate < before.thisUpdate) {
      throw new CrlInvalid(
        `the new CRL of ${before.issuer} is older (thisUpdate ${new Date(after.thisUpdate).toISOString()}) than the one in force (${new Date(before.thisUpdate).toISOString()}), and may lack its latest revocations: install a newer one, or restart to roll back`,
      )
    }
  }
}
