import { readFileSync } from 'node:fs'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'
import { LegacyRoutingPolicy } from '../legacy/legacy-routing-policy.js'
import { LegacyVerifier } from '../legacy/legacy-verifier.js'

/** The flags of `fedmsg verify --legacy`. */
export interface VerifyLegacyFlags {
  readonly ca: readonly string[]
  readonly crl: readonly string[]
  readonly legacyRoutingPolicy?: string
  readonly nitpicky?: boolean
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigNotFound(`cannot read ${what} ${path}: check the path and its permissions`, {
      cause: error,
    })
  }
}

/** The legacy verifier the flags describe (the `--legacy` flag is the SHA-1 opt-in). */
export function legacyVerifierFromFlags(flags: VerifyLegacyFlags): LegacyVerifier {
  let policy = LegacyRoutingPolicy.fromJson({}, flags.nitpicky === true)
  if (flags.legacyRoutingPolicy !== undefined) {
    const path = flags.legacyRoutingPolicy
    let json: unknown
    try {
      json = JSON.parse(readText(path, 'legacy routing policy'))
    } catch (error) {
      if (error instanceof ConfigNotFound) throw error
      throw new ConfigInvalid(
        `legacy routing policy ${path} is not JSON`,
        { file: path },
        { cause: error },
      )
    }
    policy = LegacyRoutingPolicy.fromJson(json, flags.nitpicky === true, path)
  }
  return new LegacyVerifier({
    acceptSha1: true,
    caCerts: flags.ca.map((path) => readText(path, 'legacy CA certificate')),
    crls: flags.crl.map((path) => readText(path, 'legacy CRL')),
    policy,
  })
}
