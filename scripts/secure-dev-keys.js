// Git does not keep file modes, and fedmsg refuses a private key that group or others can read: after a
// checkout or install, make every key of the bundled dev CA 0600. Run by `npm run prepare`.
import { chmodSync, existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const DEV = join(dirname(fileURLToPath(import.meta.url)), '..', 'certs', 'dev')

function secureKeys(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) secureKeys(path)
    else if (entry.isFile() && entry.name.endsWith('.key')) chmodSync(path, 0o600)
  }
}

if (existsSync(DEV)) secureKeys(DEV)
