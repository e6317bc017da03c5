import { rmSync } from 'node:fs'
import { UsageError } from '../errors.js'
import type { x509 } from '../crypto/x509.js'
import { writeFileAtomic, type AtomicFs } from './atomic-file.js'
import { issuedCertificatePath } from './ca-layout.js'
import { certificatesPem, type CaSigner } from './ca-directory.js'
import {
  findIssued,
  normalizeSerial,
  withIssued,
  writeCaState,
  type CaState,
  type IssuedRecord,
} from './ca-state.js'
import { randomSerialHex, type Validity } from './certificate-factory.js'
import type { KeyAlgorithm } from './key-pair.js'

/**
 * A random serial (127 bits) the CA has never used. Collisions are astronomically unlikely; the registry check
 * makes them impossible, which is what RFC 5280 §4.1.2.2 asks of a CA ("unique for each certificate").
 */
export function freshSerial(state: CaState): string {
  for (;;) {
    const serial = normalizeSerial(randomSerialHex())
    if (findIssued(state, serial) === undefined) return serial
  }
}

/**
 * Refuses a certificate that would outlive its issuer: verifiers reject it once the issuer expires, which would
 * surprise whoever chose the longer lifetime.
 */
export function assertWithinIssuer(issuer: x509.X509Certificate, validity: Validity): void {
  if (validity.notAfter.getTime() > issuer.notAfter.getTime()) {
    throw new UsageError(
      `the certificate would expire ${validity.notAfter.toISOString()}, after its CA (${issuer.notAfter.toISOString()}): ask for fewer --days`,
    )
  }
}

/**
 * Records `certificate` as issued by `ca`: first a copy under `issued/`, then the registry in `state.json`,
 * which is the commit point. The caller holds the CA lock and hands the certificate out only afterwards, so
 * every certificate that leaves the CA is registered and revocable.
 */
export function commitIssued(
  ca: CaSigner,
  certificate: x509.X509Certificate,
  kind: IssuedRecord['kind'],
  alg: KeyAlgorithm,
  fs?: AtomicFs,
): IssuedRecord {
  const record: IssuedRecord = {
    serial: normalizeSerial(certificate.serialNumber),
    cn: commonNameOf(certificate),
    kind,
    alg,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    issuedAt: new Date().toISOString(),
  }
  const copy = issuedCertificatePath(ca.layout, record.serial)
  writeFileAtomic(copy, certificatesPem([certificate]), { fs })
  try {
    writeCaState(ca.layout.state, withIssued(ca.state, record), fs)
  } catch (error) {
    rmSync(copy, { force: true }) // not registered, so not issued: leave no copy behind
    throw error
  }
  return record
}

/** The subject CN, or the whole subject when it has no single CN. */
export function commonNameOf(certificate: x509.X509Certificate): string {
  const cns = certificate.subjectName.getField('CN')
  return cns.length === 1 ? cns[0]! : certificate.subject
}
