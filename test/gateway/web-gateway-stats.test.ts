/**
 * `GET /stats` of the web gateway counts verified messages by signer. A signer's CN is whatever its CA wrote,
 * so a name that is also an Object.prototype member (`constructor`, `__proto__`) must count like any other:
 *
 *   EnvelopeSigner (CN constructor / __proto__) -> EnvelopeVerifier -> WebGateway.forward -> GET /stats
 */
import { pino } from 'pino'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import { startWebGateway, type WebGateway } from '../../src/gateway/web-gateway.js'
import { createMetricsRegistry } from '../../src/metrics/metrics-registry.js'
import { emptyRejectCounts } from '../../src/verification/reject-counts.js'
import { httpGet } from '../cli/cli-bus.js'
import { makePki, serviceLeaf } from '../fixtures/pki.js'

let web: WebGateway
let verifiedFrom: (cn: string) => Promise<VerifiedMessage>

beforeAll(async () => {
  const pki = await makePki()
  const verifier = new EnvelopeVerifier({ trustAnchors: [pki.root.der] })
  verifiedFrom = async (cn) => {
    const leaf = await serviceLeaf(pki.intermediate, cn, generateKeyPair('es256'))
    const signer = new EnvelopeSigner({
      certificates: [leaf.der, pki.intermediate.der],
      privateKey: leaf.privateKey,
    })
    const { topic, frame } = signer.sign({ topic: 'org.example.dev.svc.ping', msg: {}, i: 1 })
    const result = verifier.verify(topic, frame)
    if (!result.ok) throw new Error(`the fixture does not verify: ${result.detail}`)
    return result.message
  }
  web = await startWebGateway({
    host: '127.0.0.1',
    port: 0,
    limits: {},
    trustAnchorsPem: '',
    registry: createMetricsRegistry(),
    rejected: emptyRejectCounts,
    healthy: () => true,
    logger: pino({ level: 'silent' }),
  })
})

afterAll(async () => {
  await web.close()
})

it('signers named constructor and __proto__ are counted as numbers, like any other', async () => {
  const constructorMessage = await verifiedFrom('constructor')
  web.forward(constructorMessage)
  web.forward(constructorMessage)
  web.forward(await verifiedFrom('__proto__'))
  const stats = JSON.parse((await httpGet(`${web.url}stats`)).body) as {
    verifiedBySigner: Record<string, unknown>
  }
  expect(Object.entries(stats.verifiedBySigner).sort()).toEqual([
    ['__proto__', 1],
    ['constructor', 2],
  ])
})
