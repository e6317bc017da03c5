import type { Command } from 'commander'
import { DEFAULT_DAYS } from '../../ca/ca-operation-options.js'
import { issueServiceCertificate } from '../../ca/issue-service-certificate.js'
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

interface IssueFlags {
  dir: string
  service: string
  alg: KeyAlgorithm
  days: number
  out: string
  force?: boolean
  passphraseFile?: string
  outPassphraseFile?: string
  notBefore?: Date
  json?: boolean
}

/** `fedmsg ca issue`: issue a service's signing certificate and key. */
export function registerCaIssue(ca: Command): void {
  ca.command('issue')
    .description('issue a service certificate (CN = service) and its private key')
    .requiredOption('--dir <dir>', 'directory of the issuing CA')
    .requiredOption('--service <name>', 'service name: the certificate CN and the file names')
    .addOption(algOption())
    .addOption(daysOption('service certificate', DEFAULT_DAYS.service))
    .option('--out <dir>', 'where to write NAME.crt and NAME.key', '.')
    .option('--force', 'replace NAME.crt and NAME.key if they exist')
    .addOption(passphraseFileOption('the CA key'))
    .option(
      '--out-passphrase-file <file>',
      "encrypt NAME.key under this file's first line (the service's passphrase_file)",
    )
    .addOption(notBeforeOption())
    .addOption(jsonOption())
    .action(async (flags: IssueFlags) => {
      const issued = await issueServiceCertificate({
        dir: flags.dir,
        service: flags.service,
        alg: flags.alg,
        days: flags.days,
        outDir: flags.out,
        force: flags.force,
        passphrase: passphraseFrom(flags.passphraseFile),
        outPassphrase: passphraseFrom(flags.outPassphraseFile),
        notBefore: flags.notBefore,
      })
      const chain =
        issued.chainLength === 1 ? '1 CA certificate' : `${issued.chainLength} CA certificates`
      printResult(flags.json, issued, [
        `issued ${issued.service} (${issued.alg}, serial ${issued.serial}, not after ${issued.notAfter.toISOString()})`,
        `  certificate: ${issued.certificateFile} (leaf + ${chain})`,
        `  private key: ${issued.privateKeyFile} (mode 0600${issued.encrypted ? ', encrypted' : ''})`,
      ])
    })
}
