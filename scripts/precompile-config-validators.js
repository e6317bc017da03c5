// Writes the precompiled configuration validators next to dist/config/config-validators.js, so that loading a
// config does not compile the schema with Ajv (about 80 ms per CLI run). Run by `npm run build`, after tsc.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configValidatorsSource } from '../dist/config/config-validators-source.js'
import { PRECOMPILED_VALIDATORS_FILE } from '../dist/config/config-validators.js'

const DIST_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'config')

writeFileSync(join(DIST_CONFIG, PRECOMPILED_VALIDATORS_FILE), configValidatorsSource())
