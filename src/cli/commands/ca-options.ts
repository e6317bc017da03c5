// Flag rules shared by the `fedmsg ca` subcommands, so that every subcommand parses --days, --alg, dates
// and passphrase files the same way.
import { InvalidArgumentError, Option } from 'commander'
import { KEY_ALGORITHMS } from '../../ca/key-pair.js'
import { readPassphraseFile } from '../../crypto/keys/passphrase-file.js'
import { DEFAULT_KEY_ALGORITHM } from '../../ca/ca-operation-options.js'

function parsePositiveInteger(value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1')
  }
  return number
}

function parseNonNegativeInteger(value: string): number {
  return value === '0' ? 0 : parsePositiveInteger(value)
}

function parseInstant(value: string): Date {
  const date = new Date(value)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an ISO 8601 date, e.g. 2030-01-31T00:00:00Z')
  }
  return date
}

export const algOption = (): Option =>
  new Option('--alg <alg>', 'key algorithm').choices(KEY_ALGORITHMS).default(DEFAULT_KEY_ALGORITHM)

export const daysOption = (what: string, days: number): Option =>
  new Option('--days <n>', `validity of the ${what} in days`)
    .argParser(parsePositiveInteger)
    .default(days)

export const pathLengthOption = (): Option =>
  new Option(
    '--path-len <n>',
    'basicConstraints pathLenConstraint (0: may issue only services)',
  ).argParser(parseNonNegativeInteger)

export const passphraseFileOption = (what: string): Option =>
  new Option('--passphrase-file <file>', `file whose first line is the passphrase of ${what}`)

/** Back-dating for tests (docs/operations.md, "Options for testing"). */
export const notBeforeOption = (): Option =>
  new Option(
    '--not-before <iso8601>',
    'testing only: start of validity, to make expired or not-yet-valid certificates',
  ).argParser(parseInstant)

export const thisUpdateOption = (): Option =>
  new Option(
    '--this-update <iso8601>',
    'testing only: thisUpdate of the CRL, to make stale CRLs',
  ).argParser(parseInstant)

export const jsonOption = (): Option => new Option('--json', 'print the result as JSON')

/** The passphrase in `file`, or undefined when no file was named. */
export function passphraseFrom(file: string | undefined): string | undefined {
  return file === undefined ? undefined : readPassphraseFile(file)
}

/** Prints `value` as JSON, or `lines` as text. */
export function printResult(
  json: boolean | undefined,
  value: unknown,
  lines: readonly string[],
): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${lines.join('\n')}\n`)
}
