// Regenerates the bundled development CA in certs/dev (see certs/dev/README.md). Its private keys are
// committed, hence public: they exist so that `fedmsg demo` and the tests run without setup, and
// environment "prod" refuses them. Run with `npm run certs:dev` (builds dist/ first).
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { initRootCa } from '../dist/ca/init-root-ca.js'
import { issueIntermediateCa } from '../dist/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../dist/ca/issue-service-certificate.js'
import { generateCrl } from '../dist/ca/generate-crl.js'
import { DEV_SERVICES } from '../dist/config/bundled-dev-ca.js'

const DEV = join(dirname(fileURLToPath(import.meta.url)), '..', 'certs', 'dev')
const ROOT_DIR = join(DEV, 'ca', 'root')
const INTERMEDIATE_DIR = join(DEV, 'ca', 'intermediate')
const SERVICES_DIR = join(DEV, 'services')
// Dev material outlives any checkout: nobody should meet an expired dev CA or a stale dev CRL.
const DAYS = { root: 7300, intermediate: 5475, service: 3650, crl: 3650 }
// A day in the past, so that a machine whose clock lags the generating one still finds everything valid.
const NOT_BEFORE = new Date(Date.now() - 86_400_000)

rmSync(join(DEV, 'ca'), { recursive: true, force: true })
rmSync(SERVICES_DIR, { recursive: true, force: true })

const root = await initRootCa({
  dir: ROOT_DIR,
  cn: 'fedmsg DEV Root CA - PUBLIC KEY - NOT FOR PRODUCTION',
  alg: 'es256',
  days: DAYS.root,
  notBefore: NOT_BEFORE,
})
await issueIntermediateCa({
  parentDir: ROOT_DIR,
  outDir: INTERMEDIATE_DIR,
  cn: 'fedmsg DEV Issuing CA - PUBLIC KEY - NOT FOR PRODUCTION',
  pathLength: 0,
  alg: 'es256',
  days: DAYS.intermediate,
  notBefore: NOT_BEFORE,
})
for (const service of DEV_SERVICES) {
  await issueServiceCertificate({
    dir: INTERMEDIATE_DIR,
    service,
    alg: 'es256',
    days: DAYS.service,
    notBefore: NOT_BEFORE,
    outDir: SERVICES_DIR,
  })
}

const crls = []
for (const dir of [ROOT_DIR, INTERMEDIATE_DIR]) {
  const crl = await generateCrl({
    dir,
    outFile: join(dir, 'crl.pem'),
    days: DAYS.crl,
    thisUpdate: NOT_BEFORE,
  })
  crls.push(readFileSync(crl.file, 'utf8'))
}
writeFileSync(join(DEV, 'crl.pem'), crls.join(''))
writeFileSync(join(DEV, 'root-ca.crt'), readFileSync(root.rootFile))
writeKeyDigests()

/**
 * src/crypto/keys/bundled-dev-key-digests.ts: the SHA-256 of each key just written. npm keeps no file mode, so
 * these keys are 0644 once installed; the key-mode rule lets exactly these bytes in certs/dev through.
 */
function writeKeyDigests() {
  const digests = readdirSync(DEV, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.key'))
    .sort()
    .map((file) =>
      createHash('sha256')
        .update(readFileSync(join(DEV, file)))
        .digest('hex'),
    )
  const file = join(DEV, '..', '..', 'src', 'crypto', 'bundled-dev-key-digests.ts')
  writeFileSync(
    file,
    [
      '// Written by scripts/make-dev-certs.js with the keys it makes: do not edit by hand.',
      '',
      '/** SHA-256 (hex) of each private key file of the bundled dev CA, `certs/dev/**\\/*.key`, as shipped. */',
      'export const BUNDLED_DEV_KEY_SHA256: readonly string[] = [',
      ...digests.map((digest) => `  '${digest}',`),
      ']',
      '',
    ].join('\n'),
  )
}

process.stdout.write(
  `dev CA written to ${DEV}: root, intermediate, CRLs and ${DEV_SERVICES.length} services\n` +
    'these keys are PUBLIC: never trust certs/dev outside local development\n',
)
