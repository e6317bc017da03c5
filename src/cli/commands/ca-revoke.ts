import { Option, type Command } from 'commander'
import { REVOCATION_REASONS, type RevocationReason } from '../../ca/certificate-factory.js'
import { revokeCertificate } from '../../ca/revoke-certificate.js'
import { jsonOption, printResult } from './ca-options.js'

interface RevokeFlags {
  dir: string
  cert?: string
  serial?: string
  reason: RevocationReason
  json?: boolean
}

/** `fedmsg ca revoke`: record a revocation (publish it with `fedmsg ca crl`). */
export function registerCaRevoke(ca: Command): void {
  ca.command('revoke')
    .description('record that a certificate is revoked; then publish a CRL with fedmsg ca crl')
    .requiredOption('--dir <dir>', 'directory of the CA that issued the certificate')
    .addOption(new Option('--cert <file>', 'PEM file of the certificate').conflicts('serial'))
    .addOption(new Option('--serial <hex>', 'serial number of the certificate').conflicts('cert'))
    .addOption(
      new Option('--reason <reason>', 'RFC 5280 revocation reason')
        .choices(REVOCATION_REASONS)
        .default('unspecified'),
    )
    .addOption(jsonOption())
    .action(async (flags: RevokeFlags) => {
      const { record, changed } = await revokeCertificate({
        dir: flags.dir,
        serial: flags.serial,
        certificateFile: flags.cert,
        reason: flags.reason,
      })
      const state = changed ? 'revoked' : 'was already revoked'
      printResult(flags.json, { ...record, changed }, [
        `${state}: ${record.cn} serial ${record.serial} (${record.revoked?.reason}, ${record.revoked?.at})`,
        `  publish it: fedmsg ca crl --dir ${flags.dir} --out FILE`,
      ])
    })
}
