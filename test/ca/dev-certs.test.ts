/**
 * The committed dev CA in certs/dev (made by scripts/make-dev-certs.js): complete, valid for years, and
 * usable by the bus's own verifier with revocation required.
 */
import { createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEV_SERVICES } from '../../src/config/bundled-dev-ca.js'
import { ChainValidator } from '../../src/crypto/chain/chain-validator.js'
import { readPrivateKeyFile } from '../../src/crypto/keys/key-file.js'
import { decodePemBlocks, PEM_LABEL } from '../../src/crypto/pem.js'
import { x509 } from '../../src/crypto/x509.js'
import { certificateText, openssl, REPO } from './ca-test-kit.js'

const DEV = join(REPO, 'certs', 'dev')
const FIVE_YEARS = 5 * 365 * 86_400_000

function pemBlocks(file: string, label: string): Uint8Array[] {
  return decodePemBlocks(readFileSync(join(DEV, file), 'utf8'), label)
}

describe('certs/dev', () => {
  it('root-ca.crt is the root CA directory’s trust anchor; crl.pem holds two CRLs valid 5+ years', () => {
    expect(readFileSync(join(DEV, 'root-ca.crt'))).toEqual(
      readFileSync(join(DEV, 'ca/root/root.crt')),
    )
    const crls = pemBlocks('crl.pem', PEM_LABEL.crl).map((der) => new x509.X509Crl(der.slice()))
    expect(crls.map((crl) => crl.issuer)).toEqual([
      new x509.X509Certificate(pemBlocks('root-ca.crt', PEM_LABEL.certificate)[0]!.slice()).subject,
      new x509.X509Certificate(
        pemBlocks('ca/intermediate/ca.crt', PEM_LABEL.certificate)[0]!.slice(),
      ).subject,
    ])
    for (const crl of crls)
      expect(crl.nextUpdate!.getTime() - Date.now()).toBeGreaterThan(FIVE_YEARS)
  })

  it('the README says loudly that the keys are public and refused in prod', () => {
    const readme = readFileSync(join(DEV, 'README.md'), 'utf8')
    expect(readme).toContain('THESE PRIVATE KEYS ARE PUBLIC')
    expect(readme).toContain('ERR_FEDMSG_DEV_CA_IN_PROD')
  })

  it.each(DEV_SERVICES)(
    '%s: ES256 leaf + intermediate, 5+ years left, its key, valid per ChainValidator and openssl',
    (service) => {
      const x5c = pemBlocks(`services/${service}.crt`, PEM_LABEL.certificate)
      expect(x5c).toHaveLength(2)
      const leaf = new x509.X509Certificate(x5c[0]!.slice())
      expect(leaf.subject).toBe(`CN=${service}`)
      expect(leaf.notAfter.getTime() - Date.now()).toBeGreaterThan(FIVE_YEARS)
      expect(certificateText(join(DEV, 'services', `${service}.crt`))).toContain(
        'ASN1 OID: prime256v1',
      )
      const key = readPrivateKeyFile(join(DEV, 'services', `${service}.key`))
      const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
      expect(spki.equals(Buffer.from(leaf.publicKey.rawData))).toBe(true)
      const validator = new ChainValidator({
        trustAnchors: pemBlocks('root-ca.crt', PEM_LABEL.certificate),
        crls: pemBlocks('crl.pem', PEM_LABEL.crl),
        requireCrls: true,
      })
      const now = Date.now()
      expect(validator.validate(x5c, { now, timestamp: now, skewMs: 0 }).signer.name).toBe(service)
      const verified = openssl(
        'verify',
        '-crl_check_all',
        '-CRLfile',
        join(DEV, 'crl.pem'),
        '-CAfile',
        join(DEV, 'root-ca.crt'),
        '-untrusted',
        join(DEV, 'ca/intermediate/ca.crt'),
        join(DEV, 'services', `${service}.crt`),
      )
      expect(verified.code).toBe(0)
    },
  )
})
