import { Option, type Command } from 'commander'
import { diffPolicies, type RegionChange } from '../../policy/policy-diff.js'
import { readRoutingPolicy } from '../../config/read-routing-policy.js'
import { EXIT } from '../exit-codes.js'
import { jsonOption, printResult } from './ca-options.js'

interface DiffFlags {
  json?: boolean
  failOn: 'opened' | 'closed' | 'any'
}

function topicsOf(change: RegionChange): string {
  if (change.pattern === null) return 'topics no rule matches'
  const except = change.except.length === 0 ? '' : ` except ${change.except.join(', ')}`
  return `${change.pattern}${except}`
}

function linesOf(changes: readonly RegionChange[]): string[] {
  if (changes.length === 0) return ['no change: every signer may publish exactly what it could']
  return changes.flatMap((change) =>
    (['opened', 'closed'] as const)
      .filter((what) => change[what].length > 0)
      .map(
        (what) =>
          `${what} for ${change[what].join(', ')}: ${topicsOf(change)} (e.g. ${change.example})`,
      ),
  )
}

/**
 * `fedmsg policy diff OLD NEW [--fail-on opened|closed|any]`: every signer/topic pair the change from OLD to
 * NEW opens or closes. `*` stands for every signer neither file names. Exit 1 when a change of the
 * `--fail-on` kind was found, else 0.
 */
export function registerPolicyDiff(policy: Command): void {
  policy
    .command('diff')
    .argument('<old>', 'the routing policy file in force')
    .argument('<new>', 'the routing policy file proposed')
    .description('list the signer/topic pairs a policy change opens or closes; exit 1 if any')
    .addOption(
      new Option('--fail-on <kind>', 'which changes exit 1')
        .choices(['opened', 'closed', 'any'])
        .default('any'),
    )
    .addOption(jsonOption())
    .action((oldFile: string, newFile: string, flags: DiffFlags) => {
      const changes = diffPolicies(readRoutingPolicy(oldFile), readRoutingPolicy(newFile))
      printResult(flags.json, { changes }, linesOf(changes))
      const failing = changes.some((change) =>
        flags.failOn === 'any' ? true : change[flags.failOn].length > 0,
      )
      if (failing) process.exitCode = EXIT.rejected
    })
}
