import { pythonFloatRepr } from './python-float-repr.js'
import { PyNumber, type PyValue } from './python-json.js'
import type { LegacyVerifiedMessage } from './legacy-message.js'

// fedmsg/1 bodies carry numbers exactly only as canonical JSON does (docs/protocol.md §2.1): no integer past
// 2^53, nothing from 1e21 on, nothing non-finite.
const CANONICAL_FLOAT_LIMIT = 1e21

function toJson(value: PyValue): unknown {
  if (value instanceof PyNumber) {
    if (value.kind === 'int') {
      const n = Number(value.value)
      return Number.isSafeInteger(n) ? n : String(value.value)
    }
    const f = value.value as number
    return Number.isFinite(f) && Math.abs(f) < CANONICAL_FLOAT_LIMIT ? f : pythonFloatRepr(f)
  }
  if (Array.isArray(value)) return value.map(toJson)
  if (typeof value === 'object' && value !== null) {
    const object: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) {
      Object.defineProperty(object, key, { value: toJson(child), enumerable: true, writable: true })
    }
    return object
  }
  return value
}

/**
 * The fedmsg/1 body the bridge publishes for a verified legacy message: `msg`, the legacy body as JSON (a
 * number fedmsg/1 cannot carry exactly becomes the string Python writes for it), and `legacy_frame`, the legacy
 * frame exactly as it travelled, signature and certificate included, so the original signer stays provable.
 *
 * @example
 * ```ts
 * bridgedBody(result.message) // { msg: { hello: 'world' }, legacy_frame: '{"certificate":"…",…}' }
 * ```
 */
export function bridgedBody(message: LegacyVerifiedMessage): Record<string, unknown> {
  return {
    msg: toJson(message.message['msg'] ?? null),
    legacy_frame: message.frame.toString('utf8'),
  }
}

/** The provenance headers: the legacy signer's CN and certificate SHA-256, its msg_id, the frame's SHA-256. */
export function bridgedHeaders(message: LegacyVerifiedMessage): Record<string, string> {
  return {
    legacy_signer: message.signer.name,
    legacy_cert_sha256: message.signer.fingerprint,
    legacy_sha256: message.frameSha256,
    ...(message.msgId === undefined ? {} : { legacy_msg_id: message.msgId }),
  }
}
