import type { Command } from 'commander'
import type { RoutingPolicy } from '../../crypto/policy/routing-policy.js'
import { assertValidTopic } from '../../crypto/policy/topic-pattern.js'
import { UsageError } from '../../errors.js'
import { explainDecision, type Decision } from '../../policy/policy-decision.js'
import { EXIT } from '../exit-codes.js'
import { printResult } from './ca-options.js'
import {
  loadPolicy,
  policySourceOptions,
  ruleName,
  type PolicySourceFlags,
} from './policy-source.js'

function lineOf(policy: RoutingPolicy, decision: Decision, signer: string): string {
  switch (decision.type) {
    case 'rule':
      return `yes: ${ruleName(policy, decision.rule.index)} allows ${decision.rule.rule.allow.includes(signer) ? `"${signer}"` : 'any signer ("*")'}`
    case 'unlisted': {
      const rules = decision.matching.map(({ index }) => ruleName(policy, index)).join(', ')
      return `no: ${rules} match, and none lists "${signer}" or "*"`
    }
    case 'default':
      return `${decision.allowed ? 'yes' : 'no'}: no rule matches, "default" is "${policy.defaultDecision}"`
  }
}

/** `fedmsg policy can CN TOPIC`: may the certificate named CN publish on TOPIC, and which rule decides. */
export function registerPolicyCan(policy: Command): void {
  policySourceOptions(
    policy
      .command('can')
      .argument('<cn>', 'the signer: the CN of a service certificate')
      .argument('<topic>', 'a full topic, e.g. org.fedoraproject.prod.bodhi.update.request')
      .description('say whether CN may publish on TOPIC and which rule decides; exit 0 yes, 1 no'),
  ).action((signer: string, topic: string, flags: PolicySourceFlags) => {
    if (signer === '' || signer === '*') {
      throw new UsageError(
        'give the CN of a certificate, not "" or "*" (use who-can to list signers)',
      )
    }
    assertValidTopic(topic)
    const routing = loadPolicy(flags)
    const decision = explainDecision(routing, topic, signer)
    const json = {
      signer,
      topic,
      allowed: decision.allowed,
      decidedBy: decision.type,
      rule: decision.type === 'rule' ? decision.rule.index : null,
      matching: decision.type === 'unlisted' ? decision.matching.map(({ index }) => index) : [],
    }
    printResult(flags.json, json, [lineOf(routing, decision, signer)])
    if (!decision.allowed) process.exitCode = EXIT.rejected
  })
}
