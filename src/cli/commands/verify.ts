import { readFileSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import { EnvelopeVerifier } from '../../crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../../crypto/policy/routing-policy.js'
import { ConfigInvalid, ConfigNotFound, UsageError } from '../../errors.js'
import { EXIT } from '../exit-codes.js'
import { readStdin } from '../read-stdin.js'

import { verdictLine } from '../verdict-line.js'
interface VerifyFlags {
  ca: string[]
  crl: string[]
  policy?: string
  maxAge?: number
  skew?: number
  now?: number
  frameTopic?: string
  legacy?: boolean
  legacyRoutingPolicy?: string
  nitpicky?: boolean
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

function parseSeconds(value: string): number {
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError('must be a number of seconds >= 0')
  }
  return Math.round(seconds * 1000)
}

function parseInstant(value: string): number {
  const instant = Date.parse(value)
  if (Number.isNaN(instant)) throw new InvalidArgumentError('must be an ISO 8601 date and time')
  return instant
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

function readPolicy(path: string): RoutingPolicy {
  let json: unknown
  try {
    json = JSON.parse(readText(path, 'routing policy'))
  } catch (error) {
    if (error instanceof ConfigNotFound) throw error
    throw new ConfigInvalid(`routing policy ${path} is not JSON`, { file: path }, { cause: error })
  }
  return RoutingPolicy.fromJson(json)
}

/** Input lines, as raw bytes (a line need not be valid UTF-8: the verifier says so). Empty lines are skipped. */
function splitLines(input: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (let end = input.indexOf(0x0a); end !== -1; end = input.indexOf(0x0a, start)) {
    lines.push(input.subarray(start, end))
    start = end + 1
  }
  lines.push(input.subarray(start))
  return lines.filter((line) => line.length > 0)
}

/** The topic frame to verify a line with: the envelope's own topic, when the line has one. */
function topicOf(line: Buffer): string {
  try {
    const value: unknown = JSON.parse(line.toString('utf8'))
    const topic = (value as { topic?: unknown } | null)?.topic
    return typeof topic === 'string' ? topic : ''
  } catch {
    return ''
  }
}

/**
 * `fedmsg verify --ca CA.pem [--ca ...] [--crl CRL.pem ...] [--policy POLICY.json] [--max-age S] [--skew S]
 * [--now ISO8601] [--frame-topic T]`: verifies one envelope per stdin line and prints one JSON verdict per
 * line. Exit 0 when all verified, 1 when any was rejected, 2 on a usage or configuration error.
 */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('verify fedmsg/1 envelopes, one per stdin line; print one JSON verdict per line')
    .option('--ca <file>', 'PEM trust anchor(s); repeatable, at least one', collect, [])
    .option(
      '--crl <file>',
      'PEM CRL(s); revocation becomes mandatory for their issuers',
      collect,
      [],
    )
    .option('--policy <file>', 'routing policy JSON (default: any verified signer, any topic)')
    .option('--max-age <seconds>', 'refuse older messages (default: no age limit)', parseSeconds)
    .option('--skew <seconds>', 'allowed clock skew (default 30)', parseSeconds)
    .option('--now <iso8601>', 'verify as of this instant instead of the clock', parseInstant)
    .option('--frame-topic <topic>', "topic frame to verify with (default: each envelope's topic)")
    .option('--legacy', 'verify Python fedmsg (x509, SHA-1) messages instead (docs/migration.md)')
    .option(
      '--legacy-routing-policy <file>',
      "with --legacy: Python fedmsg's routing_policy as JSON",
    )
    .option('--nitpicky', 'with --legacy: routing_nitpicky, refuse topics the policy does not list')
    .action(async (flags: VerifyFlags) => {
      if (flags.ca.length === 0) throw new UsageError('give at least one trust anchor with --ca')
      if (flags.legacy === true) {
        const { legacyVerifierFromFlags } = await import('../verify-legacy.js')
        const legacy = legacyVerifierFromFlags(flags)
        let refused = false
        for (const line of splitLines(await readStdin())) {
          const result = legacy.verify(flags.frameTopic ?? topicOf(line), line)
          refused ||= !result.ok
          process.stdout.write(`${verdictLine(result)}\n`)
        }
        if (refused) process.exitCode = EXIT.rejected
        return
      }
      const fixedNow = flags.now
      const verifier = new EnvelopeVerifier({
        trustAnchors: flags.ca.map((path) => readText(path, 'trust anchor')),
        crls: flags.crl.map((path) => readText(path, 'CRL')),
        ...(flags.policy === undefined ? {} : { policy: readPolicy(flags.policy) }),
        maxAgeMs: flags.maxAge ?? null,
        ...(flags.skew === undefined ? {} : { clockSkewMs: flags.skew }),
        ...(fixedNow === undefined ? {} : { now: () => fixedNow }),
      })
      let rejected = false
      for (const line of splitLines(await readStdin())) {
        const result = verifier.verify(flags.frameTopic ?? topicOf(line), line)
        rejected ||= !result.ok
        process.stdout.write(`${verdictLine(result)}\n`)
      }
      if (rejected) process.exitCode = EXIT.rejected
    })
}
