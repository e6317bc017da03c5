import { FedmsgError } from '../errors.js'
import { EXIT } from './exit-codes.js'

/** Set to 1 to print the stack trace of an unexpected error after its one-line message (docs/operations.md). */
export const DEBUG_ENV = 'FEDMSG_DEBUG'

// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g

/** Longest message printed: a runaway message (a huge input echoed back) must not flood the terminal. */
const MAX_MESSAGE = 400

/**
 * Writes one line about an error that ended a command to stderr and returns the exit status: 2 (usage or
 * configuration, nothing was done) for a `FedmsgError` and for anything unexpected, whose stack trace is
 * printed only with FEDMSG_DEBUG=1. Never throws: formatting an error (a getter that throws, a message nested
 * deep enough to overflow the stack) falls back to a fixed line.
 */
export function reportError(error: unknown, env: NodeJS.ProcessEnv = process.env): number {
  let line: string
  try {
    line = describeError(error)
  } catch {
    line = 'fedmsg: unexpected error that cannot be described [ERR_FEDMSG_GENERIC]'
  }
  process.stderr.write(`${line}\n`)
  if (env[DEBUG_ENV] === '1' && error instanceof Error && typeof error.stack === 'string') {
    process.stderr.write(`${error.stack}\n`)
  }
  return EXIT.usage
}

function describeError(error: unknown): string {
  if (error instanceof FedmsgError) return `fedmsg: ${oneLine(error.message)} [${error.code}]`
  const errno = (error as NodeJS.ErrnoException | null)?.code
  if (typeof errno === 'string' && /^E[A-Z0-9]+$/.test(errno)) {
    const { syscall, path } = error as NodeJS.ErrnoException
    const where = [syscall, path].filter((part) => typeof part === 'string').join(' ')
    return `fedmsg: system error ${errno}${where ? ` (${oneLine(where)})` : ''}: check the path, the disk and permissions [${errno}]`
  }
  const what =
    error instanceof Error
      ? `${error.name}: ${oneLine(error.message)}`
      : 'a non-error value was thrown'
  return `fedmsg: unexpected error: ${what} (this is a bug; run with ${DEBUG_ENV}=1 for the stack trace and report it) [ERR_FEDMSG_GENERIC]`
}

/** `text` on one line of printable characters, cut at MAX_MESSAGE. */
function oneLine(text: string): string {
  const flat = String(text).replace(CONTROL, ' ').trim()
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat
}
