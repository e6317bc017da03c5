import type { Command } from 'commander'
import { listIssued } from '../../ca/list-issued.js'
import type { IssuedRecord } from '../../ca/ca-state.js'
import { jsonOption, printResult } from './ca-options.js'

interface ListFlags {
  dir: string
  json?: boolean
}

const HEADERS = ['SERIAL', 'CN', 'KIND', 'ALG', 'NOT AFTER', 'STATUS'] as const

/** `fedmsg ca list`: the CA's serial registry. */
export function registerCaList(ca: Command): void {
  ca.command('list')
    .description('list the certificates the CA issued and whether they are revoked')
    .requiredOption('--dir <dir>', 'CA directory')
    .addOption(jsonOption())
    .action((flags: ListFlags) => {
      const records = listIssued(flags.dir)
      printResult(
        flags.json,
        records,
        formatTable(records.map((record) => rowOf(record, new Date()))),
      )
    })
}

function rowOf(record: IssuedRecord, now: Date): string[] {
  let status = 'valid'
  if (record.revoked) status = `revoked (${record.revoked.reason})`
  else if (new Date(record.notAfter) < now) status = 'expired'
  else if (new Date(record.notBefore) > now) status = 'not yet valid'
  return [record.serial, record.cn, record.kind, record.alg, record.notAfter, status]
}

function formatTable(rows: readonly string[][]): string[] {
  const all = [[...HEADERS], ...rows]
  const widths = HEADERS.map((_, column) => Math.max(...all.map((row) => row[column]!.length)))
  return all.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  )
}
