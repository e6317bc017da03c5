import type { Command } from 'commander'
import { assertValidTopic } from '../../crypto/policy/topic-pattern.js'
import { publishersOf, type Publishers } from '../../policy/policy-decision.js'
import type { RoutingPolicy } from '../../crypto/policy/routing-policy.js'
import { EXIT } from '../exit-codes.js'
import { printResult } from './ca-options.js'
import {
  loadPolicy,
  policySourceOptions,
  ruleName,
  type PolicySourceFlags,
} from './policy-source.js'

function linesOf(policy: RoutingPolicy, who: Publishers): string[] {
  if (who.type === 'default') {
    return [
      who.anySigner
        ? '* (any signer): no rule matches, "default" is "allow"'
        : 'nobody: no rule matches, "default" is "deny"',
    ]
  }
  if (who.signers.length === 0) {
    const rules = who.matching.map(({ index }) => ruleName(policy, index)).join(', ')
    return [`nobody: ${rules} match but allow no signer`]
  }
  return who.signers.map(
    ({ signer, rules }) =>
      `${signer === '*' ? '* (any signer)' : signer}: ${rules.map((i) => ruleName(policy, i)).join(', ')}`,
  )
}

/** `fedmsg policy who-can TOPIC`: the signers that may publish on TOPIC, each with the rules allowing it. */
export function registerPolicyWhoCan(policy: Command): void {
  policySourceOptions(
    policy
      .command('who-can')
      .argument('<topic>', 'a full topic, e.g. org.fedoraproject.prod.bodhi.update.request')
      .description(
        'list the signer CNs that may publish on TOPIC, and by which rule; exit 1 if none',
      ),
  ).action((topic: string, flags: PolicySourceFlags) => {
    assertValidTopic(topic)
    const routing = loadPolicy(flags)
    const who = publishersOf(routing, topic)
    const signers =
      who.type === 'default' ? (who.anySigner ? [{ signer: '*', rules: [] }] : []) : who.signers
    const json = {
      topic,
      decidedBy: who.type,
      matching: who.type === 'rules' ? who.matching.map(({ index }) => index) : [],
      signers,
    }
    printResult(flags.json, json, linesOf(routing, who))
    if (signers.length === 0) process.exitCode = EXIT.rejected
  })
}
