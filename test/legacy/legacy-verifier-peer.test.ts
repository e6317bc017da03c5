import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { LegacyRoutingPolicy } from '../../src/legacy/legacy-routing-policy.js'
import { LegacyVerifier } from '../../src/legacy/legacy-verifier.js'
import { assertBuilt, runCli } from '../cli/cli-process.js'
import { peerFile, PEER_PKI, runPeerScript } from './python-peer.js'

// A CRL of the peer's test CA that expired in 2021, made with openssl on a copy of the CA (the shared PKI's
// CRL number is left alone).
function expiredCrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'legacy-crl-'))
  cpSync(join(PEER_PKI, 'ca'), dir, { recursive: true })
  const cnf = readFileSync(join(dir, 'openssl.cnf'), 'utf8').replace(/^dir\s*=.*$/m, `dir = ${dir}`)
  writeFileSync(join(dir, 'openssl.cnf'), cnf)
  const out = join(dir, 'expired-crl.pem')
  execFileSync(
    'openssl',
    [
      'ca',
      '-batch',
      '-config',
      join(dir, 'openssl.cnf'),
      '-gencrl',
      '-crl_lastupdate',
      '20200101000000Z',
      '-crl_nextupdate',
      '20210101000000Z',
      '-out',
      out,
    ],
    { stdio: 'pipe' },
  )
  return readFileSync(out, 'utf8')
}

interface PeerCase {
  name: string
  topic_frame: string
  wire: string
  nitpicky: boolean
  expected_reason: string | null
  python_ok: boolean
}

// The policy test/legacy/peer/sign-cases.py validates with, as Python fedmsg's routing_policy.
const POLICY = { 'org.fedoraproject.dev.peer.alpha': ['svc-a.peer.test'] }

function verifierFor(nitpicky: boolean): LegacyVerifier {
  return new LegacyVerifier({
    acceptSha1: true,
    caCerts: [peerFile('ca.crt')],
    crls: [peerFile('crl.pem')],
    policy: LegacyRoutingPolicy.fromJson(POLICY, nitpicky),
  })
}

describe('LegacyVerifier against messages signed by the real Python fedmsg 1.1.7', () => {
  let cases: PeerCase[] = []
  beforeAll(() => {
    cases = runPeerScript<PeerCase>('sign-cases.py', [PEER_PKI])
  })

  it('gives the verdict Python fedmsg validate() gives, with the expected reason, on every case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20)
    const verdicts = cases.map((peerCase) => {
      const result = verifierFor(peerCase.nitpicky).verify(peerCase.topic_frame, peerCase.wire)
      return {
        name: peerCase.name,
        ok: result.ok,
        reason: result.ok ? null : result.reason,
      }
    })
    expect(verdicts).toEqual(
      cases.map((peerCase) => ({
        name: peerCase.name,
        ok: peerCase.python_ok,
        reason: peerCase.expected_reason,
      })),
    )
  })

  it('names the legacy signer and keeps the frame and its SHA-256', () => {
    const valid = cases.find((peerCase) => peerCase.name === 'valid')!
    const result = verifierFor(false).verify(valid.topic_frame, valid.wire)
    if (!result.ok) throw new Error(`refused: ${result.reason} ${result.detail}`)
    expect(result.message.signer.name).toBe('svc-a.peer.test')
    expect(result.message.msgId).toBe('2026-00000000-0000-4000-8000-000000000001')
    expect(result.message.frame.toString('utf8')).toBe(valid.wire)
    expect(result.message.frameSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(Object.isFrozen(result.message.message)).toBe(true)
  })

  it('refuses a valid message under another topic frame (Python fedmsg never compared it)', () => {
    const valid = cases.find((peerCase) => peerCase.name === 'valid')!
    const result = verifierFor(false).verify('org.fedoraproject.dev.peer.beta', valid.wire)
    expect(result).toMatchObject({ ok: false, reason: 'topic_mismatch' })
  })

  it('refuses a frame that is not UTF-8 or too large, and never throws', () => {
    const verifier = verifierFor(false)
    expect(verifier.verify('t', Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({
      reason: 'malformed',
    })
    const small = new LegacyVerifier({
      acceptSha1: true,
      caCerts: [peerFile('ca.crt')],
      maxFrameBytes: 10,
    })
    expect(small.verify('t', '{"topic":"t","x":"0123456789"}')).toMatchObject({
      reason: 'oversize',
    })
  })

  it('treats an expired CRL as crl_unavailable, and takes a new CRL at once', () => {
    const valid = cases.find((peerCase) => peerCase.name === 'valid')!
    const verifier = new LegacyVerifier({
      acceptSha1: true,
      caCerts: [peerFile('ca.crt')],
      crls: [expiredCrl()],
    })
    expect(verifier.verify(valid.topic_frame, valid.wire)).toMatchObject({
      ok: false,
      reason: 'crl_unavailable',
    })
    verifier.setCrls([peerFile('crl.pem')])
    expect(verifier.verify(valid.topic_frame, valid.wire)).toMatchObject({ ok: true })
  })

  it('is opt-in: SHA-1 is accepted only with acceptSha1: true', () => {
    expect(
      () => new LegacyVerifier({ acceptSha1: false as true, caCerts: [peerFile('ca.crt')] }),
    ).toThrow(/acceptSha1/)
  })
})

describe('fedmsg verify --legacy', () => {
  it('prints the verdict Python fedmsg gives on each line, the signer its CN; exit 1 when one is refused', async () => {
    assertBuilt('verify')
    const cases = runPeerScript<PeerCase>('sign-cases.py', [PEER_PKI]).filter(
      (peerCase) =>
        !peerCase.nitpicky && peerCase.topic_frame === 'org.fedoraproject.dev.peer.alpha',
    )
    const dir = mkdtempSync(join(tmpdir(), 'legacy-verify-'))
    const policyFile = join(dir, 'policy.json')
    writeFileSync(policyFile, JSON.stringify(POLICY))
    const run = await runCli(
      [
        'verify',
        '--legacy',
        '--ca',
        join(PEER_PKI, 'ca.crt'),
        '--crl',
        join(PEER_PKI, 'crl.pem'),
        '--legacy-routing-policy',
        policyFile,
        '--frame-topic',
        'org.fedoraproject.dev.peer.alpha',
      ],
      { cwd: dir, stdin: cases.map((peerCase) => peerCase.wire).join('\n') + '\n' },
    )
    const verdicts = run.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { ok: boolean; reason?: string; signer?: string })
    expect(verdicts.map((v) => v.ok)).toEqual(cases.map((peerCase) => peerCase.python_ok))
    expect(verdicts[0]).toMatchObject({ ok: true, signer: 'svc-a.peer.test' })
    expect(run.code).toBe(1)
  })
})
