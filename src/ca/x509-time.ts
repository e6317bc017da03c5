import { UsageError } from '../errors.js'

/**
 * The instants a certificate or CRL can carry (RFC 5280 §4.1.2.5, §5.1.2.4): UTCTime holds 1950 to 2049 with a
 * two-digit year, GeneralizedTime 2050 on with four digits, so nothing before 1950 or after 9999 can be written.
 * Outside this range the encoder writes a wrong year (1900 comes back as 2000) or malformed bytes.
 */
export const X509_TIME_RANGE = {
  min: new Date(Date.UTC(1950, 0, 1)),
  max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)),
} as const

const DAY_MS = 86_400_000

/** Throws `UsageError` naming `what` unless `date` can be encoded in a certificate or CRL. */
export function assertEncodableTime(date: Date, what: string): void {
  const time = date.getTime()
  if (time >= X509_TIME_RANGE.min.getTime() && time <= X509_TIME_RANGE.max.getTime()) return
  const shown = Number.isNaN(time) ? 'lies past any date' : `would be ${date.toISOString()}`
  throw new UsageError(
    `${what} ${shown}: certificates and CRLs can only hold dates from 1950-01-01 to 9999-12-31 ` +
      '(RFC 5280 UTCTime and GeneralizedTime): change --days, --not-before or --this-update',
  )
}

/** `notBefore + days`, both ends checked with `assertEncodableTime`. */
export function encodableSpan(
  days: number,
  from: Date,
  names: { readonly start: string; readonly end: string },
): { readonly start: Date; readonly end: Date } {
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(`--days ${days} must be a whole number of at least 1`)
  }
  assertEncodableTime(from, names.start)
  const end = new Date(from.getTime() + days * DAY_MS)
  assertEncodableTime(end, `${names.end} (${names.start} + ${days} days)`)
  return { start: from, end }
}

/** Fails closed if the encoder wrote other instants than asked (to the second): nothing bad is written out. */
export function assertTimesRoundTrip<T>(
  parsed: T,
  wanted: readonly Date[],
  times: (p: T) => Date[],
): void {
  const got = times(parsed)
  wanted.forEach((date, i) => {
    if (Math.floor(date.getTime() / 1000) !== Math.floor((got[i]?.getTime() ?? NaN) / 1000)) {
      throw new RangeError(`the encoder wrote ${got[i]?.toISOString()} for ${date.toISOString()}`)
    }
  })
}
