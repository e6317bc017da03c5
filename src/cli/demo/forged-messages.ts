import { randomUUID } from 'node:crypto'
import { canonicalBytes } from '../../crypto/canonical.js'
import type { EnvelopeSigner } from '../../crypto/envelope/envelope-signer.js'

/** What the demo's forger tries, in this order, round after round. */
export const ATTACKS = ['garbage', 'policy', 'tampered', 'replay', 'stale', 'unsigned'] as const
export type Attack = (typeof ATTACKS)[number]

/** A forged message and what to tell the audience about it. */
export interface Forgery {
  readonly frames: readonly [Buffer, Buffer]
  readonly says: string
}

/** What the forger holds: its own valid certificate, and a recording of a genuine message, if any yet. */
export interface ForgerKit {
  readonly signer: EnvelopeSigner
  /** `<prefix>.<env>`, to name other services' topics. */
  readonly scope: string
  /** The next sequence number for a message the forger signs itself. */
  readonly nextI: () => number
  readonly recorded: readonly [Buffer, Buffer] | undefined
}

const PUSH = { update: { alias: 'FEDORA-2024-f0e1d2c3b4', title: 'openssh-9.6p1-99.fc40' } }

/**
 * Builds one forgery; undefined when it needs a recording and there is none yet. The reason each one must be
 * rejected with: garbage and unsigned `malformed`; a bodhi topic signed by the forger's valid certificate
 * `policy_denied`; a recording with one signature bit flipped `bad_signature`; the recording again `replay`;
 * a message stamped ten minutes ago `stale`.
 *
 * @example
 * ```ts
 * forge('policy', { signer, scope: 'org.fedoraproject.dev', nextI: () => 1, recorded: undefined })
 * ```
 */
export function forge(attack: Attack, kit: ForgerKit): Forgery | undefined {
  const bodhi = `${kit.scope}.bodhi.update.request`
  const sign = (topic: string, msg: Record<string, unknown>, timestamp = Date.now()) => {
    const { frame } = kit.signer.sign({ topic, msg, i: kit.nextI(), timestamp })
    return [Buffer.from(topic), frame] as const
  }
  switch (attack) {
    case 'garbage':
      return {
        frames: [Buffer.from(bodhi), Buffer.from('GET /admin HTTP/1.1\r\n\r\n')],
        says: 'garbage bytes',
      }
    case 'unsigned': {
      const envelope = {
        v: 'fedmsg/1',
        topic: bodhi,
        msg: { ...PUSH, request: 'stable' },
        msg_id: `${new Date().getUTCFullYear()}-${randomUUID()}`,
        timestamp: Date.now(),
        i: 1,
      }
      return {
        frames: [Buffer.from(bodhi), canonicalBytes(envelope)],
        says: 'an unsigned envelope',
      }
    }
    case 'policy':
      return {
        frames: sign(bodhi, { ...PUSH, request: 'stable', agent: 'demo-forger' }),
        says: `${bodhi}, signed with its own valid certificate`,
      }
    case 'stale':
      return {
        frames: sign(
          `${kit.scope}.demo-forger.backup.complete`,
          { host: 'db01' },
          Date.now() - 600_000,
        ),
        says: 'a message stamped 10 minutes ago',
      }
    case 'tampered':
    case 'replay': {
      if (kit.recorded === undefined) return undefined
      const [topic, envelope] = kit.recorded
      return attack === 'replay'
        ? { frames: [topic, envelope], says: `a recorded ${topic} again` }
        : {
            frames: [topic, flipSignatureBit(envelope)],
            says: `a recorded ${topic} with one signature bit flipped`,
          }
    }
  }
}

/** The msg_id of a recorded envelope, or '' when it has none. */
export function msgIdOf(envelope: Buffer): string {
  try {
    return String((JSON.parse(envelope.toString('utf8')) as { msg_id?: unknown }).msg_id)
  } catch {
    return ''
  }
}

/** The same envelope bytes with one bit of the decoded signature flipped: still canonical JSON. */
function flipSignatureBit(envelope: Buffer): Buffer {
  const text = envelope.toString('utf8')
  const match = /"signature":"([A-Za-z0-9+/=]+)"/.exec(text)
  if (match === null) return envelope
  const signature = Buffer.from(match[1]!, 'base64')
  const last = signature.length - 1
  signature[last] = signature[last]! ^ 0x01
  return Buffer.from(text.replace(match[1]!, signature.toString('base64')))
}
