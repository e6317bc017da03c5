// Builds and signs fedmsg/1 envelopes for the vectors, including ones the real EnvelopeSigner refuses to make
// (an alg that does not fit the key, an unknown member, a DER ECDSA signature...). ES256 and PS256 signatures
// are randomized: a signature from the previous run is kept when it still verifies over the same signing input,
// so that re-running the script changes no committed byte.
import { createHash, createPublicKey, sign, verify } from 'node:crypto'
import { canonicalBytes } from '../../dist/crypto/canonical.js'
import { signBytes, verifyBytes } from '../../dist/crypto/primitives.js'

export const NOW_ISO = '2026-06-01T12:00:00.000Z'
export const NOW = Date.parse(NOW_ISO)
/** Every vector's message is stamped one second before `now` unless it says otherwise. */
export const TIMESTAMP = NOW - 1000
export const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
export const BODY = {
  agent: 'José',
  update: {
    alias: 'FEDORA-2026-8d3b5c0a1e',
    request: 'stable',
    title: 'python-requests-2.32.3-1.fc44',
  },
}

/** A fixed `<year>-<uuid v4>` derived from `label`, so every vector has its own, stable msg_id. */
export function msgIdFor(label) {
  const h = createHash('sha256').update(label).digest('hex')
  const variant = '89ab'[parseInt(h[16], 16) % 4]
  return `2026-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const b64 = (bytes) => Buffer.from(bytes).toString('base64')

/** The usual way to sign with `alg` (the project's own primitive), and how to check it. */
export function standardMode(alg, privateKey) {
  const publicKey = createPublicKey(privateKey)
  return {
    randomized: alg === 'ES256' || alg === 'PS256',
    sign: (data) => signBytes(alg, privateKey, data),
    verify: (data, signature) => verifyBytes(alg, publicKey, data, signature),
  }
}

/**
 * Signs with node:crypto directly: `options` are the key options of `crypto.sign` (a DER ECDSA signature, a PSS
 * salt the protocol does not use, a key the alg does not fit...). `randomized` says whether to keep old signatures.
 */
export function rawMode(privateKey, options, randomized, digest = 'sha256') {
  const publicKey = createPublicKey(privateKey)
  return {
    randomized,
    sign: (data) => sign(digest, data, { key: privateKey, ...options }),
    verify: (data, signature) => verify(digest, data, { key: publicKey, ...options }, signature),
  }
}

/** Signs envelopes, remembering the randomized signatures of the previous run. */
export class EnvelopeBuilder {
  /** `previous`: frames of the committed vectors. */
  constructor(previous) {
    this.kept = new Map()
    for (const frame of previous) {
      try {
        const { signature, ...unsigned } = JSON.parse(frame)
        if (typeof signature === 'string')
          this.kept.set(canonicalBytes(unsigned).toString(), signature)
      } catch {
        // A vector that is not JSON on purpose has no signature to keep.
      }
    }
  }

  /** The envelope without `signature`: healthy members for `label`, then `changes` (undefined removes one). */
  unsigned({ chain, alg, label, ...changes }) {
    const envelope = {
      v: 'fedmsg/1',
      topic: TOPIC,
      msg: BODY,
      msg_id: msgIdFor(label),
      timestamp: TIMESTAMP,
      i: 1,
      alg,
      x5c: chain.map((cert) => b64(cert.der)),
      ...changes,
    }
    for (const [member, value] of Object.entries(envelope)) {
      if (value === undefined) delete envelope[member]
    }
    return envelope
  }

  /** `unsigned` with its `signature` member, signed with `mode` over the JCS signing input. */
  signed(unsigned, mode) {
    const input = canonicalBytes(unsigned)
    const kept = this.kept.get(input.toString())
    const reuse =
      mode.randomized && kept !== undefined && mode.verify(input, Buffer.from(kept, 'base64'))
    return { ...unsigned, signature: reuse ? kept : b64(mode.sign(input)) }
  }
}

/** The JCS serialization of `envelope`: the envelope frame as text. */
export const frameOf = (envelope) => canonicalBytes(envelope).toString('utf8')

/** What a verifier answers for an accepted envelope signed by `signer`. */
export const accepted = (envelope, signer) => ({
  ok: true,
  signer,
  alg: envelope.alg,
  topic: envelope.topic,
  msg_id: envelope.msg_id,
  timestamp: envelope.timestamp,
  i: envelope.i,
})

export const rejected = (reason) => ({ ok: false, reason })
