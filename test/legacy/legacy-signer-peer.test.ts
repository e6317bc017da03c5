import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LegacySigner } from '../../src/legacy/legacy-signer.js'
import { LegacyVerifier } from '../../src/legacy/legacy-verifier.js'
import { peerFile, PEER_PKI, runPeerScript } from './python-peer.js'

const signer = () =>
  new LegacySigner({
    certificatePem: peerFile('ssldir/svc-b.crt'),
    privateKey: peerFile('ssldir/svc-b.key'),
  })

const MESSAGES = [
  { topic: 'org.fedoraproject.dev.bridge.update', msg: { update: 'FEDORA-2024-1' } },
  {
    topic: 'org.fedoraproject.dev.bridge.unicode',
    msg: {
      text: 'wörld 日本 😀',
      n: 2 ** 53 - 1,
      f: 0.1,
      big: 1e21,
      neg: -0,
      list: [1.5, null, true],
    },
    msg_id: '2026-x',
    timestamp: 1733480000,
    i: 7,
  },
]

describe('LegacySigner: frames Python fedmsg 1.1.7 validates with its own code', () => {
  it('signs frames that Python fedmsg validate() accepts, and a tampered one it refuses', () => {
    const frames = MESSAGES.map((message) => signer().sign(message))
    const tampered = frames[0]!.replace('FEDORA-2024-1', 'FEDORA-2024-2')
    const verdicts = runPeerScript<{ ok: boolean }>(
      'validate-lines.py',
      [PEER_PKI],
      [...frames, tampered].join('\n') + '\n',
    )
    expect(verdicts).toEqual([{ ok: true }, { ok: true }, { ok: false }])
  })

  it('round-trips through the LegacyVerifier, the legacy signer named', () => {
    const verifier = new LegacyVerifier({ acceptSha1: true, caCerts: [peerFile('ca.crt')] })
    const frame = signer().sign(MESSAGES[1]!)
    const result = verifier.verify(MESSAGES[1]!.topic, frame)
    expect(result).toMatchObject({ ok: true, message: { signer: { name: 'svc-b.peer.test' } } })
  })

  it('checks dates on every message, the certificate seen before included', () => {
    let now = Date.now()
    const verifier = new LegacyVerifier({
      acceptSha1: true,
      caCerts: [peerFile('ca.crt')],
      now: () => now,
    })
    const frame = signer().sign(MESSAGES[0]!)
    expect(verifier.verify(MESSAGES[0]!.topic, frame)).toMatchObject({ ok: true })
    now = Date.parse(new X509Certificate(peerFile('ssldir/svc-b.crt')).validTo) + 1000
    expect(verifier.verify(MESSAGES[0]!.topic, frame)).toMatchObject({
      ok: false,
      reason: 'cert_expired',
    })
  })

  it('refuses a key that is not RSA', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(
      () => new LegacySigner({ certificatePem: peerFile('ssldir/svc-b.crt'), privateKey }),
    ).toThrow(/RSA/)
  })
})
