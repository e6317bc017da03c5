import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where ../shared/python-fedmsg/setup.sh put the original Python fedmsg and its test PKI (same defaults). */
export const PEER_WORK = process.env['FEDMSG_PEER_WORK'] ?? '/tmp/pyfedmsg'
export const PEER_PKI = process.env['FEDMSG_PEER_PKI'] ?? join(PEER_WORK, 'pki')
/** Debian's interpreter: a python3 earlier on PATH may not see the apt modules. */
export const PEER_PY = '/usr/bin/python3'

/** Fails (never skips) with what to run when the peer is not installed: .ci/run installs it. */
export function assertPeerInstalled(): void {
  if (
    !existsSync(join(PEER_WORK, 'src', 'fedmsg', 'crypto', 'x509_ng.py')) ||
    !existsSync(join(PEER_PKI, 'ca.crt'))
  ) {
    throw new Error(
      `Python fedmsg peer not found under ${PEER_WORK}: run FEDMSG_PEER_WORK=${PEER_WORK} bash ../shared/python-fedmsg/setup.sh`,
    )
  }
}

/** Runs one of test/legacy/peer/*.py with Python fedmsg importable; returns its stdout lines, parsed. */
export function runPeerScript<T>(script: string, args: readonly string[], input = ''): T[] {
  assertPeerInstalled()
  const stdout = execFileSync(PEER_PY, [join(import.meta.dirname, 'peer', script), ...args], {
    env: { ...process.env, PYTHONPATH: join(PEER_WORK, 'src') },
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
  })
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T)
}

export const peerFile = (name: string): string => readFileSync(join(PEER_PKI, name), 'utf8')
