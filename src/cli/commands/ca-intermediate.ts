import { Option, type Command } from 'commander'
import { DEFAULT_DAYS } from '../../ca/ca-operation-options.js'
import { issueIntermediateCa } from '../../ca/issue-intermediate-ca.js'
import type { KeyAlgorithm } from '../../ca/key-pair.js'
import { describeCa } from './ca-init.js'
import {
  algOption,
  daysOption,
  jsonOption,
  notBeforeOption,
  passphraseFileOption,
  passphraseFrom,
  pathLengthOption,
  printResult,
} from './ca-options.js'

interface IntermediateFlags {
  dir: string
  out: string
  cn: string
  pathLen?: number
  alg: KeyAlgorithm
  days: number
  force?: boolean
  passphraseFile?: string
  outPassphraseFile?: string
  notBefore?: Date
  json?: boolean
}

/** `fedmsg ca intermediate`: create an intermediate CA signed by a CA directory. */
export function registerCaIntermediate(ca: Command): void {
  ca.command('intermediate')
    .description(
      'create an intermediate CA signed by the CA in --dir; --out becomes a CA directory',
    )
    .requiredOption('--dir <rootdir>', 'directory of the signing CA (usually the root)')
    .requiredOption('--out <dir>', 'directory of the new intermediate CA (made 0700)')
    .requiredOption('--cn <name>', 'subject common name of the intermediate')
    .addOption(pathLengthOption())
    .addOption(algOption())
    .addOption(daysOption('intermediate certificate', DEFAULT_DAYS.intermediate))
    .option('--force', 'destroy a CA already in --out')
    .addOption(passphraseFileOption('the signing CA key'))
    .addOption(
      new Option(
        '--out-passphrase-file <file>',
        'file whose first line is the passphrase that encrypts the new CA key',
      ),
    )
    .addOption(notBeforeOption())
    .addOption(jsonOption())
    .action(async (flags: IntermediateFlags) => {
      const summary = await issueIntermediateCa({
        parentDir: flags.dir,
        outDir: flags.out,
        cn: flags.cn,
        pathLength: flags.pathLen,
        alg: flags.alg,
        days: flags.days,
        force: flags.force,
        passphrase: passphraseFrom(flags.passphraseFile),
        outPassphrase: passphraseFrom(flags.outPassphraseFile),
        notBefore: flags.notBefore,
      })
      printResult(flags.json, summary, describeCa('intermediate CA', summary))
    })
}
