// Certificates issued by the real `openssl ca`, for the signature algorithm allowlist (docs/protocol.md §4.5):
// SHA-1 and MD5 signatures as OpenSSL makes them, and a SHA-256 control from the same tool. Each is made once
// and kept in test/vectors/keys (ECDSA signatures are randomized), like the healthy PKI.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../dist/crypto/chain/eku.js'
import { x509 } from '../../dist/crypto/x509.js'

const LEAF_EXTENSIONS = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = ${FEDMSG_MESSAGE_SIGNING_EKU}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`
const CA_EXTENSIONS = `basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`

/**
 * keys/NAME.crt: the key keys/KEY.key (a new P-256 key when missing) certified as CN=`cn` by keys/ISSUER.crt
 * (its key keys/ISSUERKEY.key) with
 * `openssl ca -md DIGEST`, valid 2025–2045 like the healthy PKI. Issued the first time, read back afterwards.
 */
export function opensslIssued(
  files,
  name,
  { key, cn, issuer, issuerKey = issuer, serial, digest, ca = false },
) {
  const { privateKey } = files.key(key, 'es256')
  const file = `keys/${name}.crt`
  const path = join(files.dir, file)
  if (!existsSync(path)) {
    const work = mkdtempSync(join(tmpdir(), 'fedmsg-vectors-'))
    try {
      writeFileSync(join(work, 'index.txt'), '')
      writeFileSync(join(work, 'serial'), `${serial}\n`)
      writeFileSync(join(work, 'ext.cnf'), ca ? CA_EXTENSIONS : LEAF_EXTENSIONS)
      writeFileSync(
        join(work, 'ca.cnf'),
        `[ ca ]\ndefault_ca = fedmsg\n[ fedmsg ]\ndatabase = ${work}/index.txt\nserial = ${work}/serial\n` +
          `new_certs_dir = ${work}\npolicy = any\nunique_subject = no\n[ any ]\ncommonName = supplied\n`,
      )
      const keys = join(files.dir, 'keys')
      const run = (...args) => execFileSync('openssl', args, { cwd: work, stdio: 'pipe' })
      run('req', '-new', '-key', join(keys, `${key}.key`), '-subj', `/CN=${cn}`, '-out', 'csr.pem')
      run(
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-notext',
        '-in',
        'csr.pem',
        '-out',
        'cert.pem',
        '-cert',
        join(keys, `${issuer}.crt`),
        '-keyfile',
        join(keys, `${issuerKey}.key`),
        '-md',
        digest,
        '-extfile',
        'ext.cnf',
        '-startdate',
        '20250101000000Z',
        '-enddate',
        '20450101000000Z',
      )
      writeFileSync(path, readFileSync(join(work, 'cert.pem')))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
  const certificate = new x509.X509Certificate(readFileSync(path, 'utf8'))
  return { certificate, privateKey, der: new Uint8Array(certificate.rawData), file }
}
