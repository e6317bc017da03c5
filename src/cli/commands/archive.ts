import type { Command } from 'commander'
import type { BackfillFlags } from '../../archive/run-backfill-summaries.js'
import { collect } from './option-parsers.js'

interface ArchiveVerifyOptions {
  db?: string
  config?: string
  ca: string[]
  crl: string[]
  requireCrls?: boolean
  since?: string
  until?: string
  json?: boolean
}

/**
 * `fedmsg archive verify [--db URL] --ca FILE... [--crl FILE...] [--require-crls] [--since T] [--until T]
 * [--json]`: re-verifies the stored envelopes as of their own timestamp (docs/protocol.md §4.6). Exit 0
 * when every row verified, 1 when any failed, 2 on a usage or configuration error.
 * `fedmsg archive backfill-summaries [--db URL] [--since T] [--until T]`: adds summary users and packages to
 * rows stored without them.
 */
export function registerArchiveCommand(program: Command): void {
  const archive = program
    .command('archive')
    .description('check the message store (fedmsg store): every stored message stays provable')
  archive
    .command('verify')
    .description('re-verify stored envelopes as of their own timestamp; print counts by verdict')
    .option('--db <url>', 'sqlite:PATH or postgres://… (default: store.db, else sqlite:fedmsg.db)')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--ca <file>', 'PEM trust anchor(s); repeatable, at least one', collect, [])
    .option('--crl <file>', 'PEM CRL(s), the newest you have; repeatable', collect, [])
    .option('--require-crls', 'every issuer of a chain must have a CRL')
    .option('--since <time>', 'from this message time: ISO 8601 or epoch seconds')
    .option('--until <time>', 'before this message time: ISO 8601 or epoch seconds')
    .option('--json', 'failures and the counts as JSON lines')
    .action(async (options: ArchiveVerifyOptions) => {
      const { runArchiveVerify } = await import('../../archive/run-archive-verify.js')
      await runArchiveVerify(options)
    })
  archive
    .command('backfill-summaries')
    .description('give rows stored without summary users and packages their names (idempotent)')
    .option('--db <url>', 'sqlite:PATH or postgres://… (default: store.db, else sqlite:fedmsg.db)')
    .option('--config <path>', 'a config file or fedmsg.d directory (its summary_processors)')
    .option('--since <time>', 'from this message time: ISO 8601 or epoch seconds')
    .option('--until <time>', 'before this message time: ISO 8601 or epoch seconds')
    .action(async (options: BackfillFlags) => {
      const { runBackfillSummaries } = await import('../../archive/run-backfill-summaries.js')
      await runBackfillSummaries(options)
    })
}
