/**
 * The metrics endpoint of hub and relay: Prometheus text exposition format 0.0.4 over plain node:http.
 *   GET /metrics -> formatHubMetrics(hub.stats())    GET /healthz -> 200 ok | 503 stopping
 */
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { REJECT_REASONS } from '../../src/errors.js'
import { formatHubMetrics, formatRelayMetrics } from '../../src/transport/bus-metrics.js'
import { createHub } from '../../src/transport/hub.js'
import { startMetricsServer, type MetricsServer } from '../../src/transport/metrics-server.js'
import { PrometheusText, PROMETHEUS_CONTENT_TYPE } from '../../src/transport/prometheus-text.js'
import { emptyRejectCounts } from '../../src/transport/reject-counts.js'
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

describe('PrometheusText', () => {
  it('writes HELP and TYPE before the samples, and escapes label values and help text', () => {
    const text = new PrometheusText()
      .counter('a_total', 'Line one\nback\\slash.', [[{ reason: 'say "hi"\\\n' }, 2]])
      .gauge('b', 'A gauge.', 1.5)
      .toString()
    expect(text).toBe(
      [
        '# HELP a_total Line one\\nback\\\\slash.',
        '# TYPE a_total counter',
        'a_total{reason="say \\"hi\\"\\\\\\n"} 2',
        '# HELP b A gauge.',
        '# TYPE b gauge',
        'b 1.5',
        '',
      ].join('\n'),
    )
  })

  it('a histogram has cumulative buckets, le="+Inf" equal to the count, then _sum and _count', () => {
    const text = new PrometheusText()
      .histogram('h_seconds', 'Latency.', {
        bounds: [0.001, 0.01],
        cumulative: [1, 3],
        count: 4,
        sum: 0.5,
      })
      .toString()
    expect(text.split('\n').slice(2, 7)).toEqual([
      'h_seconds_bucket{le="0.001"} 1',
      'h_seconds_bucket{le="0.01"} 3',
      'h_seconds_bucket{le="+Inf"} 4',
      'h_seconds_sum 0.5',
      'h_seconds_count 4',
    ])
  })
})

describe('hub and relay metrics', () => {
  it('a hub exports every reason code (zeros too), its consumers by name and the verify histogram', async () => {
    const hub = await createHub({
      config: bus.config({ endpoints: {} }),
      consumers: [recorder('org.fedoraproject.>', 'printer')],
    })
    try {
      const text = formatHubMetrics(hub.stats())
      for (const reason of REJECT_REASONS) {
        expect(text).toContain(`fedmsg_hub_messages_rejected_total{reason="${reason}"} 0\n`)
      }
      expect(text).toContain('fedmsg_hub_consumer_queue_depth{consumer="printer"} 0\n')
      expect(text).toContain('fedmsg_hub_silent_publishers 0\n')
      expect(text).toContain('fedmsg_hub_verify_errors_total 0\n')
      expect(text).toContain('fedmsg_hub_verify_duration_seconds_bucket{le="0.0001"} 0\n')
      expect(text).toContain('fedmsg_hub_verify_duration_seconds_count 0\n')
    } finally {
      await hub.close()
    }
  })

  it('a relay exports received, forwarded and rejected by reason', () => {
    const rejected = { ...emptyRejectCounts(), replay: 3 }
    const text = formatRelayMetrics({ received: 10, forwarded: 7, rejected })
    expect(text).toContain('fedmsg_relay_messages_received_total 10\n')
    expect(text).toContain('fedmsg_relay_messages_forwarded_total 7\n')
    expect(text).toContain('fedmsg_relay_messages_rejected_total{reason="replay"} 3\n')
  })
})

describe('startMetricsServer', () => {
  it('serves /metrics as text 0.0.4, /healthz 200 then 503 when unhealthy, 404 and 405 otherwise', async () => {
    let healthy = true
    const server = await startMetricsServer({
      address: '127.0.0.1:0',
      metrics: () => 'x_total 1\n',
      healthy: () => healthy,
    })
    servers.push(server)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const metrics = await fetch(`${server.url}/metrics`)
    expect(metrics.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE)
    expect(await metrics.text()).toBe('x_total 1\n')
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    healthy = false
    const stopping = await fetch(`${server.url}/healthz`)
    expect([stopping.status, await stopping.text()]).toEqual([503, 'stopping\n'])
    expect((await fetch(`${server.url}/other`)).status).toBe(404)
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405)
  })

  it('a port in use is AddressInUse (ERR_FEDMSG_ADDRESS_IN_USE)', async () => {
    const port = await freePort()
    const taken = createServer()
    await new Promise<void>((done) => taken.listen(port, '127.0.0.1', done))
    try {
      await expect(
        startMetricsServer({
          address: `127.0.0.1:${port}`,
          metrics: () => '',
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
        startMetricsServer({ address, metrics: () => '', healthy: () => true }),
      ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CONFIG_INVALID', key: 'metrics_address' })
    },
  )
})
