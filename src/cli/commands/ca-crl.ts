import type { Command } from 'commander'
import { DEFAULT_DAYS } from '../../ca/ca-operation-options.js'
import { generateCrl } from '../../ca/generate-crl.js'
import {
  daysOption,
  jsonOption,
  passphraseFileOption,
  passphraseFrom,
  printResult,
  thisUpdateOption,
} from './ca-options.js'

interface CrlFlags {
  dir: string
  days: number
  out: string
  passphraseFile?: string
  thisUpdate?: Date
  json?: boolean
}

/** `fedmsg ca crl`: sign a fresh CRL. */
export function registerCaCrl(ca: Command): void {
  ca.command('crl')
    .description('sign a CRL of every certificate the CA revoked, with the next CRL number')
    .requiredOption('--dir <dir>', 'CA directory')
    .addOption(daysOption('CRL (nextUpdate - thisUpdate)', DEFAULT_DAYS.crl))
    .requiredOption('--out <file>', 'where to write the CRL (PEM, X509 CRL)')
    .addOption(passphraseFileOption('the CA key'))
    .addOption(thisUpdateOption())
    .addOption(jsonOption())
    .action(async (flags: CrlFlags) => {
      const crl = await generateCrl({
        dir: flags.dir,
        outFile: flags.out,
        days: flags.days,
        passphrase: passphraseFrom(flags.passphraseFile),
        thisUpdate: flags.thisUpdate,
      })
      printResult(flags.json, crl, [
        `wrote CRL number ${crl.crlNumber} (${crl.revokedCount} revoked) to ${crl.file}`,
        `  next update: ${crl.nextUpdate.toISOString()}: publish a new one before then`,
      ])
    })
}
