import type { Command } from 'commander'
import { registerPolicyCan } from './policy-can.js'
import { registerPolicyDiff } from './policy-diff.js'
import { registerPolicyLint } from './policy-lint.js'
import { registerPolicyWhoCan } from './policy-who-can.js'

/** `fedmsg policy …`: audits a routing policy (docs/operations.md, "Auditing the routing policy"). */
export function registerPolicyCommand(program: Command): void {
  const policy = program
    .command('policy')
    .description('audit the routing policy: who may publish what, lint, and diff two versions')
  for (const register of [
    registerPolicyWhoCan,
    registerPolicyCan,
    registerPolicyLint,
    registerPolicyDiff,
  ]) {
    register(policy)
  }
}
