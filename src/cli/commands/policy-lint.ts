import type { Command } from 'commander'
import { lintPolicy } from '../../policy/policy-lint.js'
import { EXIT } from '../exit-codes.js'
import { printResult } from './ca-options.js'
import {
  issuedSigners,
  loadPolicy,
  policySourceOptions,
  ruleName,
  topicPrefixOf,
  type PolicySourceFlags,
} from './policy-source.js'

interface LintFlags extends PolicySourceFlags {
  caDir: string[]
  topicPrefix?: string
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

/**
 * `fedmsg policy lint [--ca-dir DIR ...] [--topic-prefix P]`: shadowed rules, rules that never match, empty allow
 * lists that change nothing, and (with `--ca-dir`) allowed CNs no usable issued certificate has. Exit 0 when
 * clean, 1 when it found something.
 */
export function registerPolicyLint(policy: Command): void {
  policySourceOptions(
    policy
      .command('lint')
      .description('report rules that change nothing or name unknown signers; exit 1 if any')
      .option(
        '--ca-dir <dir>',
        'CA directory whose issued certificates allow lists are checked against; repeatable',
        collect,
        [],
      )
      .option(
        '--topic-prefix <prefix>',
        'the bus topic prefix (default: the configured topic_prefix)',
      ),
  ).action((flags: LintFlags) => {
    const routing = loadPolicy(flags)
    const findings = lintPolicy(routing, {
      topicPrefix: topicPrefixOf(flags),
      ...(flags.caDir.length === 0 ? {} : { issued: issuedSigners(flags.caDir, new Date()) }),
    })
    const lines =
      findings.length === 0
        ? [`ok: ${routing.rules.length} rules, no problems`]
        : findings.map(
            ({ code, rule, message }) => `${ruleName(routing, rule)}: ${code}: ${message}`,
          )
    printResult(flags.json, { findings }, lines)
    if (findings.length > 0) process.exitCode = EXIT.rejected
  })
}
