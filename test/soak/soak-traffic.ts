/**
 * The soak's publishers: one `createPublisher` per service on the relay path, each a loop that publishes,
 * waits for the relay's acknowledgement, and paces itself to its share of the target rate. Every body carries
 * a unique `soak_id`, so what the relay acknowledged can be matched with what the hub dispatched.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'

/** One acknowledged message: its id and when the acknowledgement came. */
export interface Ack {
  readonly soakId: string
  readonly service: string
  readonly at: number
}

export interface Traffic {
  readonly acks: readonly Ack[]
  /** Publishes that failed (relay restarting, revoked service), by error code. */
  readonly failures: Readonly<Record<string, number>>
  /** Messages per second in total; 0 means as fast as acknowledgements come. */
  setRate(perSecond: number): void
  stop(): Promise<void>
}

export async function startTraffic(
  configPath: string,
  services: readonly string[],
): Promise<Traffic> {
  const acks: Ack[] = []
  const failures: Record<string, number> = {}
  let rate = 0
  let running = true
  const publishers: Publisher[] = await Promise.all(
    services.map((name) =>
      createPublisher({
        name,
        configOptions: { configPath, searchDirs: [] },
        ackTimeoutMs: 20_000,
      }),
    ),
  )
  const loop = async (publisher: Publisher) => {
    for (let n = 0; running; n++) {
      const soakId = `${publisher.name}-${n}`
      const began = Date.now()
      try {
        await publisher.publish('soak.tick', { soak_id: soakId })
        acks.push({ soakId, service: publisher.name, at: Date.now() })
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'unknown'
        failures[code] = (failures[code] ?? 0) + 1
        // A refusal comes at once: do not spin on it.
        await delay(100)
      }
      if (rate > 0)
        await delay(Math.max(0, (publishers.length * 1000) / rate - (Date.now() - began)))
    }
  }
  const loops = publishers.map(loop)
  return {
    acks,
    failures,
    setRate(perSecond) {
      rate = perSecond
    },
    async stop() {
      running = false
      await Promise.all(loops)
      await Promise.all(publishers.map((publisher) => publisher.close()))
    },
  }
}
