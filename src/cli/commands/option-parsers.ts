import { InvalidArgumentError } from 'commander'

/** A repeatable option's values, in order (`--topic a --topic b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** A count of at least 1 (`--concurrency`, `--limit`); anything else is a usage error naming the flag. */
export const positive = (value: string): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('not a positive integer')
  return n
}

/** A positive number of seconds (fractions allowed), as whole milliseconds rounded up (`--timeout 0.5`). */
export const secondsAsMs = (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('not a positive number')
  return Math.ceil(n * 1000)
}
