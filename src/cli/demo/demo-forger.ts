import { Subscriber, XPublisher } from 'zeromq'
import type { EnvelopeSigner } from '../../crypto/envelope/envelope-signer.js'
import { ATTACKS, forge, msgIdOf } from './forged-messages.js'

export interface ForgerOptions {
  /** The forger's own (valid) signer: the dev CA's `demo-forger` certificate. */
  readonly signer: EnvelopeSigner
  /** `<prefix>.<env>`, to make topics of other services. */
  readonly scope: string
  /** A PUB socket to eavesdrop on for genuine messages (the relay's outbound). */
  readonly eavesdropOn: string
  /** True when the hub accepted the message with this msg_id: only those are worth replaying. */
  readonly wasAccepted: (msgId: string) => boolean
}

/** A forger: a raw ZeroMQ socket the hub connects to, as an attacker on the network would have. */
export interface Forger {
  readonly endpoint: string
  /** Resolves when a subscriber (the hub) has subscribed, so nothing the forger sends is lost. */
  subscribed(): Promise<void>
  /** Sends the next forgery (forged-messages.ts); returns what it did, or undefined when it has nothing to
   * replay yet. */
  attack(): Promise<string | undefined>
  close(): void
}

/** Recordings kept for tampering and replaying. */
const RECORDINGS = 50

/**
 * Starts the demo's forger: binds a raw socket on a free port for the hub to connect to, and eavesdrops on
 * the relay's outbound to record genuine messages. Every forgery must be rejected by the hub.
 *
 * @example
 * ```ts
 * const forger = await startForger({ signer, scope: 'org.fedoraproject.dev', eavesdropOn, wasAccepted })
 * await forger.subscribed()
 * console.log(await forger.attack()) // 'garbage bytes'
 * ```
 */
export async function startForger(options: ForgerOptions): Promise<Forger> {
  // XPUB, not PUB: it reports the hub's subscription, so the demo knows the hub listens.
  const socket = new XPublisher({ linger: 0 })
  socket.verbosity = 'allSubs'
  await socket.bind('tcp://127.0.0.1:*')
  const recordings: (readonly [Buffer, Buffer])[] = []
  const tap = new Subscriber({ linger: 0 })
  tap.subscribe(`${options.scope}.`)
  tap.connect(options.eavesdropOn)
  void (async () => {
    for await (const [topic, envelope] of tap) {
      if (topic === undefined || envelope === undefined) continue
      recordings.push([topic, envelope])
      if (recordings.length > RECORDINGS) recordings.shift()
    }
  })()
  let round = 0
  let i = 0
  return {
    endpoint: socket.lastEndpoint!,
    async subscribed() {
      // Subscription messages start with 1, unsubscriptions with 0.
      for (;;) {
        const [message] = await socket.receive()
        if (message?.[0] === 1) return
      }
    },
    async attack() {
      const forgery = forge(ATTACKS[round % ATTACKS.length]!, {
        signer: options.signer,
        scope: options.scope,
        nextI: () => ++i,
        recorded: recordings.findLast(([, envelope]) => options.wasAccepted(msgIdOf(envelope))),
      })
      if (forgery === undefined) return undefined
      round += 1
      await socket.send([...forgery.frames])
      return forgery.says
    },
    close() {
      tap.close()
      socket.close()
    },
  }
}
