// Where the `fedmsg policy` subcommands get their inputs: the routing policy file (a flag, else the
// configuration's `routing_policy`), the bus's topic prefix, and the certificates the CA directories issued.
import { Option, type Command } from 'commander'
import { listIssued } from '../../ca/list-issued.js'
import { assertValidTopic } from '../../crypto/policy/topic-pattern.js'
import type { RoutingPolicy } from '../../crypto/policy/routing-policy.js'
import { UsageError } from '../../errors.js'
import type { IssuedSigner } from '../../policy/policy-lint.js'
import { readRoutingPolicy } from '../../config/read-routing-policy.js'
import { loadCliConfig } from '../load-cli-config.js'
import { jsonOption } from './ca-options.js'

export interface PolicySourceFlags {
  policy?: string
  config?: string
  json?: boolean
}

/** Adds `--policy`, `--config` and `--json` to a `fedmsg policy` subcommand. */
export function policySourceOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--policy <file>', 'routing policy JSON (default: the configured routing_policy)'),
    )
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .addOption(jsonOption())
}

/** The policy `--policy` names, else the configuration's `routing_policy`; a usage error when neither does. */
export function loadPolicy(flags: PolicySourceFlags): RoutingPolicy {
  const file = flags.policy ?? loadCliConfig(flags.config).config.routing_policy
  if (file === undefined) {
    throw new UsageError(
      'no routing policy configured (every verified signer may publish any topic): give --policy FILE or set "routing_policy"',
    )
  }
  return readRoutingPolicy(file)
}

/** `--topic-prefix`, else the configuration's `topic_prefix`. */
export function topicPrefixOf(flags: PolicySourceFlags & { topicPrefix?: string }): string {
  const prefix = flags.topicPrefix ?? loadCliConfig(flags.config).config.topic_prefix
  assertValidTopic(prefix)
  return prefix
}

/** The service certificates the CAs in `dirs` issued, usable when neither revoked nor expired at `now`. */
export function issuedSigners(dirs: readonly string[], now: Date): IssuedSigner[] {
  return dirs.flatMap((dir) =>
    listIssued(dir)
      .filter((record) => record.kind === 'service')
      .map((record) => ({
        cn: record.cn,
        usable:
          record.revoked === undefined &&
          new Date(record.notBefore) <= now &&
          now <= new Date(record.notAfter),
      })),
  )
}

/** `rules[2] (org.fedoraproject.*.bodhi.>)`, how every subcommand names a rule. */
export function ruleName(policy: RoutingPolicy, index: number): string {
  return `rules[${index}] (${policy.rules[index]!.topic})`
}
