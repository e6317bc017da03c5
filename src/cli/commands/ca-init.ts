import type { Command } from 'commander'
import { DEFAULT_DAYS, DEFAULT_ROOT_CN, type CaSummary } from '../../ca/ca-operation-options.js'
import { initRootCa } from '../../ca/init-root-ca.js'
import type { KeyAlgorithm } from '../../ca/key-pair.js'
import {
  algOption,
  daysOption,
  jsonOption,
  notBeforeOption,
  passphraseFileOption,
  passphraseFrom,
  printResult,
} from './ca-options.js'

interface InitFlags {
  dir: string
  cn: string
  alg: KeyAlgorithm
  days: number
  force?: boolean
  passphraseFile?: string
  notBefore?: Date
  json?: boolean
}

/** `fedmsg ca init`: create a root CA. */
export function registerCaInit(ca: Command): void {
  ca.command('init')
    .description('create a self-signed root CA in a new directory (keep it offline)')
    .requiredOption('--dir <dir>', 'CA directory to create (made 0700)')
    .option('--cn <name>', 'subject common name', DEFAULT_ROOT_CN)
    .addOption(algOption())
    .addOption(daysOption('root certificate', DEFAULT_DAYS.root))
    .option('--force', 'destroy a CA already in --dir and start over')
    .addOption(passphraseFileOption('the new CA key (encrypts it)'))
    .addOption(notBeforeOption())
    .addOption(jsonOption())
    .action(async (flags: InitFlags) => {
      const summary = await initRootCa({
        dir: flags.dir,
        cn: flags.cn,
        alg: flags.alg,
        days: flags.days,
        force: flags.force,
        passphrase: passphraseFrom(flags.passphraseFile),
        notBefore: flags.notBefore,
      })
      printResult(flags.json, summary, describeCa('root CA', summary))
    })
}

/** Text lines saying where a new CA's files are. */
export function describeCa(kind: string, summary: CaSummary): string[] {
  return [
    `created ${kind} ${summary.subject} (${summary.alg}, serial ${summary.serial}, not after ${summary.notAfter.toISOString()})`,
    `  certificate:  ${summary.certificateFile}`,
    `  private key:  ${summary.privateKeyFile} (mode 0600${summary.encrypted ? ', encrypted' : ''})`,
    `  trust anchor: ${summary.rootFile}`,
  ]
}
