/**
 * The soak's own CA, in a temp dir: a root, an issuing CA, one certificate per service, and the CRL bundle the
 * hub and relay read (`crl.pem`, root CRL + issuing CRL). `swapCrls` publishes a fresh bundle the way
 * docs/operations.md says to, by an atomic rename; `revoke` revokes a service and swaps.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateCrl } from '../../src/ca/generate-crl.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../../src/ca/issue-service-certificate.js'
import { revokeCertificate } from '../../src/ca/revoke-certificate.js'

export interface SoakPki {
  readonly trust: string
  readonly crl: string
  readonly certs: Readonly<Record<string, { cert: string; key: string }>>
  /** Signs new CRLs (new CRL numbers) and renames the bundle into place. */
  swapCrls(): Promise<void>
  /** Revokes `service`'s certificate (keyCompromise) and swaps the CRLs. */
  revoke(service: string): Promise<void>
}

export async function makeSoakPki(dir: string, services: readonly string[]): Promise<SoakPki> {
  const root = join(dir, 'ca-root')
  const issuing = join(dir, 'ca-issuing')
  const notBefore = new Date(Date.now() - 3_600_000)
  await initRootCa({ dir: root, cn: 'Soak Root', alg: 'es256', notBefore })
  await issueIntermediateCa({
    parentDir: root,
    outDir: issuing,
    cn: 'Soak Issuing',
    pathLength: 0,
    notBefore,
  })
  const certs: Record<string, { cert: string; key: string }> = {}
  const serials = new Map<string, string>()
  for (const service of services) {
    const issued = await issueServiceCertificate({
      dir: issuing,
      service,
      outDir: join(dir, 'certs'),
      notBefore,
    })
    certs[service] = { cert: issued.certificateFile, key: issued.privateKeyFile }
    serials.set(service, issued.serial)
  }
  const crl = join(dir, 'crl.pem')
  let swaps = 0
  const swapCrls = async () => {
    const parts: string[] = []
    for (const [name, caDir] of [
      ['root', root],
      ['issuing', issuing],
    ] as const) {
      const out = join(dir, `${name}.crl`)
      await generateCrl({ dir: caDir, outFile: out, days: 7 })
      parts.push(readFileSync(out, 'utf8'))
    }
    const next = join(dir, `crl.pem.${++swaps}.tmp`)
    writeFileSync(next, parts.join(''))
    renameSync(next, crl)
  }
  await swapCrls()
  return {
    trust: join(root, 'root.crt'),
    crl,
    certs,
    swapCrls,
    async revoke(service) {
      await revokeCertificate({
        dir: issuing,
        serial: serials.get(service)!,
        reason: 'keyCompromise',
      })
      await swapCrls()
    },
  }
}
