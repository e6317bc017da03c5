/**
 * A PKI with a past, for as-of checks: root and intermediate valid from 60 days ago, and four service leaves
 * under the intermediate, made with the project's own CA code. Dates are relative to the real clock.
 *
 *   expired  valid from 40 to 20 days ago (its messages of 30 days ago still verify as of then)
 *   current  valid from 50 days ago for a year
 *   retired  revoked 10 days ago, reason superseded (its earlier messages stay valid)
 *   stolen   revoked 10 days ago, reason keyCompromise (every message it ever signed fails)
 */
import {
  createCrl,
  createIntermediateCertificate,
  createRootCertificate,
  createServiceCertificate,
  validityFor,
  type RevocationReason,
} from '../../src/ca/certificate-factory.js'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { DAY, issued, type Issued } from '../fixtures/pki.js'

export { DAY }
export const HOUR = 3_600_000
/** When `retired` and `stolen` were revoked. */
export const REVOKED_AT = Date.now() - 10 * DAY

export interface PastPki {
  readonly root: Issued
  readonly intermediate: Issued
  readonly leaves: Readonly<Record<'expired' | 'current' | 'retired' | 'stolen', Issued>>
  /** Root's CRL, nothing revoked; intermediate's CRL revoking `retired` and `stolen`. Both from an hour ago. */
  readonly rootCrl: Uint8Array
  readonly intermediateCrl: Uint8Array
  signer(leaf: Issued): EnvelopeSigner
}

const daysAgo = (days: number) => new Date(Date.now() - days * DAY)

async function leafOf(intermediate: Issued, cn: string, from: number, days: number) {
  const keys = generateKeyPair('es256')
  const validity = validityFor(days, daysAgo(from))
  const cert = await createServiceCertificate(intermediate, cn, keys.publicKey, validity)
  return issued(cert, keys.privateKey)
}

async function crlOf(issuer: Issued, revoked: [Issued, RevocationReason][]): Promise<Uint8Array> {
  const crl = await createCrl(issuer, {
    crlNumber: 7n,
    thisUpdate: new Date(Date.now() - HOUR),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    entries: revoked.map(([cert, reason]) => ({
      serialHex: cert.certificate.serialNumber,
      revokedAt: new Date(REVOKED_AT),
      reason,
    })),
  })
  return new Uint8Array(crl.rawData)
}

export async function makePastPki(): Promise<PastPki> {
  const rootKeys = generateKeyPair('es256')
  const root = issued(
    await createRootCertificate('Archive Test Root', rootKeys, validityFor(365, daysAgo(60))),
    rootKeys.privateKey,
  )
  const interKeys = generateKeyPair('es256')
  const intermediate = issued(
    await createIntermediateCertificate(
      root,
      'Archive Test Intermediate',
      interKeys.publicKey,
      validityFor(365, daysAgo(60)),
    ),
    interKeys.privateKey,
  )
  const leaves = {
    expired: await leafOf(intermediate, 'expired', 40, 20),
    current: await leafOf(intermediate, 'current', 50, 365),
    retired: await leafOf(intermediate, 'retired', 50, 365),
    stolen: await leafOf(intermediate, 'stolen', 50, 365),
  }
  return {
    root,
    intermediate,
    leaves,
    rootCrl: await crlOf(root, []),
    intermediateCrl: await crlOf(intermediate, [
      [leaves.retired, 'superseded'],
      [leaves.stolen, 'keyCompromise'],
    ]),
    signer: (leaf) =>
      new EnvelopeSigner({
        certificates: [leaf.der, intermediate.der],
        privateKey: leaf.privateKey,
      }),
  }
}
