// @ts-check
/**
 * Pre-signed envelopes and what their baselines need: the exact signing input and signature bytes a bare
 * `crypto.verify` is handed, and a verifier configured as a consumer would be (anchor and CRLs).
 */
import { verify } from 'node:crypto'
import { canonicalBytes } from '../../dist/crypto/canonical.js'
import { ALGORITHMS } from '../../dist/crypto/algorithms.js'
import { EnvelopeVerifier } from '../../dist/index.js'

/** @typedef {import('./payloads.js').Payload} Payload */
/** @typedef {import('./pki.js').Pki} Pki */

/**
 * Two frames as ZeroMQ hands them to a consumer, and the parts a bare `crypto.verify` needs.
 *
 * @typedef {object} SignedMessage
 * @property {Buffer} topicFrame
 * @property {Buffer} frame
 * @property {Buffer} signingInput JCS of the envelope without `signature`
 * @property {Buffer} signature
 * @property {import('node:crypto').KeyObject} publicKey the signer's
 */

/**
 * @param {Buffer} frame
 * @returns {{ signingInput: Buffer, signature: Buffer }}
 */
export function signedParts(frame) {
  const { signature, ...unsigned } = JSON.parse(frame.toString('utf8'))
  return { signingInput: canonicalBytes(unsigned), signature: Buffer.from(signature, 'base64') }
}

/**
 * `count` envelopes, each with its own msg_id, signed in turn by `leaves` (one leaf: all by it).
 *
 * @param {readonly import('./pki.js').Leaf[]} leaves
 * @param {Payload} payload
 * @param {number} count
 * @returns {SignedMessage[]}
 */
export function signPool(leaves, payload, count) {
  return Array.from({ length: count }, (_, n) => {
    const leaf = leaves[n % leaves.length]
    const { topic, frame } = leaf.signer.sign({
      topic: payload.topic,
      msg: payload.msg,
      i: n + 1,
    })
    return {
      topicFrame: Buffer.from(topic),
      frame,
      ...signedParts(frame),
      publicKey: leaf.publicKey,
    }
  })
}

/**
 * A verifier as a consumer configures it: the PKI's root as anchor, its CRLs, every other option default.
 *
 * @param {Pki} pki
 */
export function consumerVerifier(pki) {
  return new EnvelopeVerifier({ trustAnchors: [pki.anchor], crls: pki.crls })
}

/**
 * `crypto.verify` of a message's signature exactly as fedmsg calls it for `alg` (digest, key options, a
 * ready KeyObject), nothing else: the baseline. Throws when the signature does not verify.
 *
 * @param {import('../../dist/index.js').Alg} alg
 * @returns {(message: SignedMessage) => void}
 */
export function bareVerifier(alg) {
  const { digest, keyOptions } = ALGORITHMS[alg]
  return (message) => {
    const key = { key: message.publicKey, ...keyOptions }
    if (!verify(digest, message.signingInput, key, message.signature)) {
      throw new Error('benchmark signature does not verify')
    }
  }
}

/**
 * Throws unless the verifier accepted, so that no figure ever measures a rejection.
 *
 * @param {import('../../dist/index.js').VerifyResult} result
 */
export function mustAccept(result) {
  if (!result.ok) throw new Error(`benchmark envelope rejected: ${result.reason}: ${result.detail}`)
}
