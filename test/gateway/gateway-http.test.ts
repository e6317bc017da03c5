/**
 * The gateway's HTTP(S) server: /healthz, /metrics, the static files, read-only methods, and TLS with a real
 * certificate made by `openssl` (WSS through the same server).
 *
 *   https client / wss client -> startGatewayHttp (TLS) -> WsGateway
 */
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startGatewayHttp } from '../../src/gateway/gateway-http.js'
import { WsGateway } from '../../src/gateway/ws-gateway.js'
import { createMetricsRegistry } from '../../src/metrics/metrics-registry.js'

let server: Server | undefined
let gateway: WsGateway | undefined
let dir: string | undefined

afterEach(async () => {
  await gateway?.close()
  await new Promise((resolve) => server?.close(resolve))
  server?.closeAllConnections()
  if (dir) rmSync(dir, { recursive: true, force: true })
  server = gateway = dir = undefined
})

function selfSigned(): { cert: string; key: string } {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-gw-tls-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  return {
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
  }
}

function get(url: string, ca: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, method }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('gateway HTTP server', () => {
  it('serves /healthz, /metrics, /stats and the files over TLS, refuses writes, and carries WSS', async () => {
    const tls = selfSigned()
    const started = await startGatewayHttp({
      host: '127.0.0.1',
      port: 0,
      registry: createMetricsRegistry(),
      healthy: () => true,
      stats: () => ({ verifiedBySigner: { bodhi: 2 } }),
      files: { '/': { type: 'text/html', body: '<p>view</p>' } },
      tls,
    })
    server = started.server
    expect(started.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
    expect(await get(`${started.url}healthz`, tls.cert)).toEqual({ status: 200, body: 'ok\n' })
    expect((await get(`${started.url}metrics`, tls.cert)).body).toContain('fedmsg_build_info')
    expect(await get(`${started.url}stats`, tls.cert)).toEqual({
      status: 200,
      body: '{"verifiedBySigner":{"bodhi":2}}',
    })
    expect(await get(started.url, tls.cert)).toEqual({ status: 200, body: '<p>view</p>' })
    expect((await get(started.url, tls.cert, 'POST')).status).toBe(405)
    expect((await get(`${started.url}nothing`, tls.cert)).status).toBe(404)

    gateway = new WsGateway()
    gateway.attach(server)
    const client = new WebSocket(`${started.url.replace('https', 'wss')}ws`, { ca: tls.cert })
    await once(client, 'open')
    client.send(JSON.stringify({ op: 'subscribe', patterns: ['org.>'] }))
    const [answer] = await once(client, 'message')
    expect(JSON.parse(answer.toString())).toEqual({ type: 'subscribed', patterns: ['org.>'] })
    client.terminate()
  })

  it('answers 503 on /healthz while stopping', async () => {
    const started = await startGatewayHttp({
      host: '127.0.0.1',
      port: 0,
      registry: createMetricsRegistry(),
      healthy: () => false,
      stats: () => ({}),
      files: {},
    })
    server = started.server
    const response = await fetch(`${started.url}healthz`)
    expect(response.status).toBe(503)
  })
})
