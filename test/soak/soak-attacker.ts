/**
 * The soak's attacker, on a PUB endpoint the hub connects to (as a compromised publisher host would be). It
 * records what the relay forwards, and keeps sending three kinds of messages the hub must never dispatch:
 * replays of recorded genuine frames (`duplicates dispatched` if one gets through, also across hub restarts),
 * recorded envelopes with the body changed (`forged-N`: bad signature), and, once the revocation of `revoked`
 * is in force at the hub, fresh messages signed with that service's key (`forged-revoked-N`).
 *
 * With `ahead` (a service whose clock runs `aheadMs` fast, within the hub's clock skew), it also publishes that
 * service's genuine messages (`ahead-N`) and replays them: the replay across a hub restart of issue 12 item 1.
 */
import { Subscriber } from 'zeromq'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { rawPublisher } from '../transport/bus-fixture.js'

export interface Attacker {
  readonly sent: { replays: number; tampered: number; revokedKey: number; ahead: number }
  /** From now on, also sign fresh messages with the revoked service's key. */
  useRevokedKey(): void
  stop(): Promise<void>
}

const KEEP = 500

export async function startAttacker(options: {
  bind: string
  relayOutbound: string
  revoked: { cert: string; key: string }
  ratePerSecond: number
  ahead?: { cert: string; key: string; aheadMs: number }
}): Promise<Attacker> {
  const out = await rawPublisher(options.bind)
  const capture = new Subscriber({ linger: 0 })
  capture.connect(options.relayOutbound)
  capture.subscribe()
  const recorded: [Buffer, Buffer][] = []
  // The fast-clock service's own messages, replayed apart: only they can pass a restarted hub's start floor.
  const aheadRecorded: [Buffer, Buffer][] = []
  const sent = { replays: 0, tampered: 0, revokedKey: 0, ahead: 0 }
  const { ahead } = options
  const aheadSigner =
    ahead === undefined
      ? undefined
      : EnvelopeSigner.fromFiles({ certFile: ahead.cert, keyFile: ahead.key })
  const revokedSigner = EnvelopeSigner.fromFiles({
    certFile: options.revoked.cert,
    keyFile: options.revoked.key,
  })
  let signWithRevoked = false
  let running = true

  const record = (async () => {
    for await (const [topic, envelope] of capture) {
      if (topic === undefined || envelope === undefined) continue
      recorded.push([Buffer.from(topic), Buffer.from(envelope)])
      if (recorded.length > KEEP) recorded.splice(0, recorded.length - KEEP)
    }
  })().catch(() => undefined)

  const attack = (async () => {
    for (let n = 0; running; n++) {
      await new Promise((done) => setTimeout(done, 1000 / options.ratePerSecond))
      const pick = recorded[Math.floor(Math.random() * recorded.length)]
      if (pick === undefined) continue
      const [topic, envelope] = pick
      if (aheadSigner !== undefined && ahead !== undefined) {
        const signed = aheadSigner.sign({
          topic: `org.fedoraproject.dev.${aheadSigner.signerName}.soak.tick`,
          msg: { soak_id: `ahead-${n}` },
          i: n + 1,
          timestamp: Date.now() + ahead.aheadMs,
        })
        await out.send([signed.topic, signed.frame])
        aheadRecorded.push([Buffer.from(signed.topic), Buffer.from(signed.frame)])
        if (aheadRecorded.length > KEEP) aheadRecorded.splice(0, aheadRecorded.length - KEEP)
        sent.ahead++
      }
      const replayed = n % 2 === 0 ? aheadRecorded.at(-1 - ((n / 2) % 100)) : undefined
      if (replayed !== undefined) {
        await out.send(replayed)
        sent.replays++
      }
      if (n % 3 === 0) {
        await out.send([topic, envelope])
        sent.replays++
      } else if (n % 3 === 1) {
        const forged = JSON.parse(envelope.toString('utf8')) as { msg: Record<string, unknown> }
        forged.msg = { ...forged.msg, soak_id: `forged-${n}` }
        await out.send([topic, JSON.stringify(forged)])
        sent.tampered++
      } else if (signWithRevoked) {
        const signed = revokedSigner.sign({
          topic: topic.toString('utf8'),
          msg: { soak_id: `forged-revoked-${n}` },
          i: n + 1,
        })
        await out.send([signed.topic, signed.frame])
        sent.revokedKey++
      }
    }
  })()

  return {
    sent,
    useRevokedKey() {
      signWithRevoked = true
    },
    async stop() {
      running = false
      await attack
      capture.close()
      out.socket.close()
      await record
    },
  }
}
