/**
 * The metrics endpoint of hub and relay: a prom-client registry over plain node:http.
 *   GET /metrics -> registry.metrics(): process_*, nodejs_*, fedmsg_build_info, registerHubMetrics(hub.stats())
 *   GET /healthz -> 200 ok | 503 stopping
 */
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { REJECT_REASONS } from '../../src/errors.js'
import { Registry } from 'prom-client'
import { packageVersion } from '../../src/package-version.js'
import { createHub } from '../../src/hub/hub.js'
import { registerHubMetrics } from '../../src/metrics/hub-metrics.js'
import { createMetricsRegistry } from '../../src/metrics/metrics-registry.js'
import { startMetricsServer, type MetricsServer } from '../../src/metrics/metrics-server.js'
import { registerRelayMetrics } from '../../src/metrics/relay-metrics.js'
import {
  registerSnapshotCounter,
  registerSnapshotHistogram,
} from '../../src/metrics/snapshot-metrics.js'
import { emptyRejectCounts } from '../../src/verification/reject-counts.js'
import { freePort } from '../fixtures/free-port.js'
import { makeBus, recorder, type Bus } from './bus-fixture.js'

let bus: Bus
const servers: MetricsServer[] = []
beforeAll(async () => {
  bus = await makeBus()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})
afterAll(() => bus.cleanup())

describe('hub and relay metrics', () => {
  it('a hub exports every reason code (zeros too), its consumers by name and the verify histogram', async () => {
    const hub = await createHub({
      config: bus.config({ endpoints: {} }),
      consumers: [recorder('org.fedoraproject.>', 'printer')],
    })
    try {
      const registry = new Registry()
      registerHubMetrics(registry, () => hub.stats())
      const text = await registry.metrics()
      for (const reason of REJECT_REASONS) {
        expect(text).toContain(`fedmsg_hub_messages_rejected_total{reason="${reason}"} 0\n`)
      }
      expect(text).toContain('fedmsg_hub_consumer_queue_depth{consumer="printer"} 0\n')
      expect(text).toContain('fedmsg_hub_silent_publishers 0\n')
      expect(text).toContain('fedmsg_hub_verify_errors_total 0\n')
      expect(text).toContain('fedmsg_hub_verify_duration_seconds_bucket{le="0.0001"} 0\n')
      expect(text).toContain('fedmsg_hub_verify_duration_seconds_bucket{le="+Inf"} 0\n')
      expect(text).toContain('fedmsg_hub_verify_duration_seconds_count 0\n')
      expect(text).toContain('# TYPE fedmsg_hub_messages_received_total counter\n')
      expect(text).toContain('# TYPE fedmsg_hub_verify_duration_seconds histogram\n')
    } finally {
      await hub.close()
    }
  })

  it('values are read at each scrape: a counter follows stats(), histogram buckets are cumulative', async () => {
    let received = 1
    const registry = new Registry()
    registerRelayMetrics(registry, () => ({
      received,
      forwarded: 0,
      rejected: emptyRejectCounts(),
      verifyErrors: 0,
    }))
    expect(await registry.metrics()).toContain('fedmsg_relay_messages_received_total 1\n')
    received = 5
    expect(await registry.metrics()).toContain('fedmsg_relay_messages_received_total 5\n')
    registerSnapshotHistogram(registry, {
      name: 'h_seconds',
      help: 'Latency.',
      read: () => ({ bucketsMs: [1, 10], counts: [1, 3], count: 4, sumMs: 500 }),
    })
    const text = await registry.metrics()
    expect(text.slice(text.indexOf('# HELP h_seconds')).split('\n').slice(0, 7)).toEqual([
      '# HELP h_seconds Latency.',
      '# TYPE h_seconds histogram',
      'h_seconds_bucket{le="0.001"} 1',
      'h_seconds_bucket{le="0.01"} 3',
      'h_seconds_bucket{le="+Inf"} 4',
      'h_seconds_sum 0.5',
      'h_seconds_count 4',
    ])
  })

  it('issue 11 item 14: the process registry has process_*, nodejs_* and fedmsg_build_info{version}', async () => {
    const text = await createMetricsRegistry().metrics()
    for (const series of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${series} \\d`, 'm'))
    }
    expect(text).toContain(`fedmsg_build_info{version="${packageVersion()}"} 1\n`)
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('a relay exports received, forwarded, rejected by reason and verify errors', async () => {
    const rejected = { ...emptyRejectCounts(), replay: 3 }
    const registry = new Registry()
    registerRelayMetrics(registry, () => ({
      received: 11,
      forwarded: 7,
      rejected,
      verifyErrors: 1,
    }))
    const text = await registry.metrics()
    expect(text).toContain('fedmsg_relay_messages_received_total 11\n')
    expect(text).toContain('fedmsg_relay_verify_errors_total 1\n')
    expect(text).toContain('fedmsg_relay_messages_forwarded_total 7\n')
    expect(text).toContain('fedmsg_relay_messages_rejected_total{reason="replay"} 3\n')
  })
})

describe('startMetricsServer', () => {
  it('serves /metrics as text 0.0.4, /healthz 200 then 503 when unhealthy, 404 and 405 otherwise', async () => {
    let healthy = true
    const registry = new Registry()
    registerRelayMetrics(registry, () => ({
      received: 1,
      forwarded: 0,
      rejected: emptyRejectCounts(),
      verifyErrors: 0,
    }))
    const server = await startMetricsServer({
      address: '127.0.0.1:0',
      registry,
      healthy: () => healthy,
    })
    servers.push(server)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const metrics = await fetch(`${server.url}/metrics`)
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(await metrics.text()).toBe(await registry.metrics())
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    healthy = false
    const stopping = await fetch(`${server.url}/healthz`)
    expect([stopping.status, await stopping.text()]).toEqual([503, 'stopping\n'])
    expect((await fetch(`${server.url}/other`)).status).toBe(404)
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405)
  })

  it('a collector that throws: /metrics answers 500, the process and /healthz carry on', async () => {
    const registry = new Registry()
    registerSnapshotCounter(registry, {
      name: 'broken_total',
      help: 'Throws.',
      read: () => {
        throw new Error('stats unavailable')
      },
    })
    const server = await startMetricsServer({
      address: '127.0.0.1:0',
      registry,
      healthy: () => true,
    })
    servers.push(server)
    expect((await fetch(`${server.url}/metrics`)).status).toBe(500)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('a port in use is AddressInUse (ERR_FEDMSG_ADDRESS_IN_USE)', async () => {
    const port = await freePort()
    const taken = createServer()
    await new Promise<void>((done) => taken.listen(port, '127.0.0.1', done))
    try {
      await expect(
        startMetricsServer({
          address: `127.0.0.1:${port}`,
          registry: new Registry(),
          healthy: () => true,
        }),
      ).rejects.toMatchObject({ code: 'ERR_FEDMSG_ADDRESS_IN_USE', address: `127.0.0.1:${port}` })
    } finally {
      await new Promise((done) => taken.close(done))
    }
  })

  it.each(['9464', 'localhost', '127.0.0.1:99999', 'http://127.0.0.1:9464'])(
    'address %j is not HOST:PORT: ConfigInvalid',
    async (address) => {
      await expect(
        startMetricsServer({ address, registry: new Registry(), healthy: () => true }),
      ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CONFIG_INVALID', key: 'metrics_address' })
    },
  )
})
