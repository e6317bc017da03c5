/** How main.ts reports the error that ended a command (issue #19 item 9): one line, exit 2, stack on demand. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CaLocked } from '../../src/errors.js'
import { reportError } from '../../src/cli/report-error.js'

let written: string
beforeEach(() => {
  written = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written += String(chunk)
    return true
  })
})
afterEach(() => vi.restoreAllMocks())

const unreadable = new Error('x')
Object.defineProperty(unreadable, 'message', {
  get() {
    throw new Error('getter')
  },
})

describe('reportError', () => {
  it.each([
    [
      'a FedmsgError',
      new CaLocked('CA /x is locked'),
      /^fedmsg: CA \/x is locked \[ERR_FEDMSG_CA_LOCKED\]\n$/,
    ],
    [
      'a system error',
      Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        syscall: 'write',
      }),
      /^fedmsg: system error ENOSPC \(write\): .*\[ENOSPC\]\n$/,
    ],
    [
      'a stack overflow',
      new RangeError('Maximum call stack size exceeded'),
      /^fedmsg: unexpected error: RangeError: Maximum call stack size exceeded .*FEDMSG_DEBUG=1.*\n$/,
    ],
    ['a thrown string', 'boom', /^fedmsg: unexpected error: a non-error value was thrown .*\n$/],
    [
      'a message with newlines',
      new Error('a\nb\u001b[31m'),
      /^fedmsg: unexpected error: Error: a b \[31m .*\n$/,
    ],
    [
      'an error whose message getter throws',
      unreadable,
      /^fedmsg: unexpected error that cannot be described/,
    ],
  ])('%s → one line, exit 2, no stack', (_, error, line) => {
    expect(reportError(error, {})).toBe(2)
    expect(written).toMatch(line)
    expect(written.split('\n')).toHaveLength(2)
  })

  it('a message of a megabyte is cut to one short line', () => {
    reportError(new Error('x'.repeat(1_000_000)), {})
    expect(written.length).toBeLessThan(700)
  })

  it('FEDMSG_DEBUG=1 adds the stack trace after the line', () => {
    const error = new TypeError('unexpected')
    reportError(error, { FEDMSG_DEBUG: '1' })
    expect(written).toContain(error.stack!)
    expect(written).toMatch(/^fedmsg: unexpected error: TypeError: unexpected/)
  })
})
