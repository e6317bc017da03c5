import type { Command } from 'commander'
import { registerCaCrl } from './ca-crl.js'
import { registerCaInit } from './ca-init.js'
import { registerCaIntermediate } from './ca-intermediate.js'
import { registerCaIssue } from './ca-issue.js'
import { registerCaList } from './ca-list.js'
import { registerCaRevoke } from './ca-revoke.js'

/** `fedmsg ca …`: the certificate authority (docs/operations.md, "Certificate authority"). */
export function registerCaCommand(program: Command): void {
  const ca = program
    .command('ca')
    .description('run the certificate authority that issues service signing certificates')
  for (const register of [
    registerCaInit,
    registerCaIntermediate,
    registerCaIssue,
    registerCaRevoke,
    registerCaCrl,
    registerCaList,
  ]) {
    register(ca)
  }
}
