import type { Logger } from 'pino'
import type { FedmsgConfig } from '../../config/config-types.js'
import type { Consumer } from '../../hub/consumer.js'
import { createHub, type Hub } from '../../hub/hub.js'
import { createPublisher, type Publisher } from '../../publisher/publisher.js'
import { createRelay, type Relay } from '../../relay/relay.js'
import { signerFromConfig } from '../../publisher/signer-from-config.js'
import { DEMO_SERVICES } from './demo-events.js'
import { startForger, type Forger } from './demo-forger.js'

/** ZeroMQ picks a free port: the demo never collides with anything running. */
const ANY_LOCAL_PORT = 'tcp://127.0.0.1:*'

/** Services that publish through the relay, as short-lived or unbindable processes do; the others bind. */
const VIA_RELAY: ReadonlySet<string> = new Set(['fas', 'git'])

/** The msg_ids of recently accepted messages the forger may replay. */
const REMEMBERED_IDS = 1000

/** Everything the demo runs, wired together. */
export interface DemoBus {
  readonly relay: Relay
  readonly hub: Hub
  readonly publishers: ReadonlyMap<string, Publisher>
  readonly forger: Forger
  /** Verified messages by signer, as the hub's consumers saw them. */
  readonly verifiedBySigner: Readonly<Record<string, number>>
  close(): Promise<void>
}

/**
 * Starts a relay, one publisher per demo service (bodhi, koji and wiki bind their own PUB socket; fas and
 * git go through the relay), the forger's raw socket and a hub connected to all of them, and resolves once
 * the hub has subscribed. `config` brings the trust anchor, certificates, routing policy and consumers;
 * `logger` (default: silent) gets the relay's and the hub's log; `consumers` are added to the hub's.
 *
 * @example
 * ```ts
 * const bus = await startDemoBus({ ...devDefaults(), routing_policy: policyFile })
 * await bus.publishers.get('bodhi')!.publish('update.request', { update: 'FEDORA-2024-1' })
 * await bus.close()
 * ```
 */
export async function startDemoBus(
  config: FedmsgConfig,
  logger?: Logger,
  consumers: readonly Consumer[] = [],
): Promise<DemoBus> {
  const opened: { close(): unknown }[] = []
  try {
    const relay = await createRelay({
      inbound: ANY_LOCAL_PORT,
      outbound: ANY_LOCAL_PORT,
      config,
      ...(logger === undefined ? {} : { logger: logger.child({ component: 'relay' }) }),
    })
    opened.push(relay)
    const wired: FedmsgConfig = {
      ...config,
      relay_inbound: relay.endpoints.inbound,
      relay_outbound: relay.endpoints.outbound,
    }
    const publishers = new Map<string, Publisher>()
    for (const name of DEMO_SERVICES) {
      const viaRelay = VIA_RELAY.has(name)
      const publisher = await createPublisher({
        name,
        config: { ...wired, active: viaRelay },
        ...(viaRelay ? {} : { bind: [ANY_LOCAL_PORT] }),
      })
      opened.push(publisher)
      publishers.set(name, publisher)
    }
    const accepted = new Set<string>()
    const verifiedBySigner: Record<string, number> = {}
    const forger = await startForger({
      signer: signerFromConfig(wired, 'demo-forger'),
      scope: `${config.topic_prefix}.${config.environment}`,
      eavesdropOn: relay.endpoints.outbound,
      wasAccepted: (msgId) => accepted.has(msgId),
    })
    opened.push(forger)
    const tally: Consumer = {
      name: 'tally',
      topic: `${config.topic_prefix}.>`,
      consume(message) {
        accepted.add(message.msgId)
        if (accepted.size > REMEMBERED_IDS) accepted.delete(accepted.values().next().value!)
        const signer = message.signer.name
        verifiedBySigner[signer] = (verifiedBySigner[signer] ?? 0) + 1
      },
    }
    const bound = [...publishers.values()].filter((p) => !VIA_RELAY.has(p.name))
    const hub = await createHub({
      config: wired,
      connect: [relay.endpoints.outbound, ...bound.flatMap((p) => p.endpoints), forger.endpoint],
      consumers: [tally, ...consumers],
      ...(logger === undefined ? {} : { logger: logger.child({ component: 'hub' }) }),
      // The demo's bus is born with it: no earlier run can have accepted anything, so nothing to journal.
      stateDir: null,
    })
    opened.push(hub)
    await forger.subscribed()
    return {
      relay,
      hub,
      publishers,
      forger,
      verifiedBySigner,
      async close() {
        await Promise.all([...publishers.values()].map((p) => p.close()))
        forger.close()
        await hub.drain()
        await relay.close()
      },
    }
  } catch (error) {
    for (const thing of opened.reverse()) await thing.close()
    throw error
  }
}
