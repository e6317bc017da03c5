/**
 * A small bus for transport tests: a PKI from the project's own CA code (test/fixtures/pki.ts) written to a
 * temp dir as the files a configuration names, plus helpers for configs, signers, raw sockets and consumers.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XPublisher } from 'zeromq'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { DEFAULT_CONFIG, type FedmsgConfig } from '../../src/config/config-types.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { exportPrivateKeyPem } from '../../src/crypto/keys/key-file.js'
import { encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import type { VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import type { Consumer } from '../../src/hub/consumer.js'
import { crlOf, makePki, serviceLeaf, type Issued, type Pki } from '../fixtures/pki.js'

export interface Bus {
  readonly dir: string
  readonly pki: Pki
  readonly trustFile: string
  readonly crlFile: string
  /** Writes `leaf` (+ intermediate) and its key as service `name`'s files; returns their paths. */
  writeService(name: string, leaf: Issued): { cert: string; key: string }
  /** A fresh leaf for `name` under the test intermediate (a new key each call). */
  newLeaf(name: string): Promise<Issued>
  /** A signer for `leaf` (x5c = leaf, intermediate). */
  signerFor(leaf: Issued): EnvelopeSigner
  /** Replaces the CRL file atomically (write a temp file, rename it over), revoking `revoked`. */
  replaceCrl(revoked: readonly Issued[]): Promise<void>
  /** DEFAULT_CONFIG with the bus's trust, CRLs and certificates, fast heartbeats, and `overrides`. */
  config(overrides?: Partial<FedmsgConfig>): FedmsgConfig
  cleanup(): void
}

/** Makes a bus in a fresh temp dir: bodhi and koji leaves from the shared PKI are written as services. */
export async function makeBus(): Promise<Bus> {
  const pki = await makePki('es256')
  const dir = mkdtempSync(join(tmpdir(), 'fm-'))
  const trustFile = join(dir, 'root-ca.crt')
  const crlFile = join(dir, 'crl.pem')
  writeFileSync(trustFile, pki.root.certificate.toString('pem'))
  const writeCrls = (intermediateCrl: Uint8Array, path: string) =>
    writeFileSync(
      path,
      encodePem(pki.rootCrl, PEM_LABEL.crl) + encodePem(intermediateCrl, PEM_LABEL.crl),
    )
  writeCrls(pki.intermediateCrl, crlFile)
  const certs: Record<string, { cert: string; key: string }> = {}
  const writeService = (name: string, leaf: Issued) => {
    const cert = join(dir, `${name}.crt`)
    const key = join(dir, `${name}.key`)
    writeFileSync(
      cert,
      leaf.certificate.toString('pem') + '\n' + pki.intermediate.certificate.toString('pem'),
    )
    rmSync(key, { force: true })
    writeFileSync(key, exportPrivateKeyPem(leaf.privateKey), { mode: 0o600 })
    certs[name] = { cert, key }
    return certs[name]
  }
  writeService('bodhi', pki.leaf)
  writeService('koji', pki.otherLeaf)
  return {
    dir,
    pki,
    trustFile,
    crlFile,
    writeService,
    newLeaf: (name) => serviceLeaf(pki.intermediate, name, generateKeyPair('es256')),
    signerFor: (leaf) =>
      new EnvelopeSigner({
        certificates: [leaf.der, pki.intermediate.der],
        privateKey: leaf.privateKey,
      }),
    async replaceCrl(revoked) {
      const next = join(dir, 'crl.pem.next')
      writeCrls(await crlOf(pki.intermediate, revoked), next)
      renameSync(next, crlFile)
    },
    config: (overrides = {}) => ({
      ...DEFAULT_CONFIG,
      trust: [trustFile],
      crl: [crlFile],
      certs: { ...certs },
      heartbeat_interval_ms: 60_000,
      linger_ms: 0,
      reconnect_ivl_ms: 20,
      ...overrides,
    }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** `<prefix>.<env>.<service>.<suffix>` under DEFAULT_CONFIG's prefix and environment. */
export function topicOf(service: string, suffix: string): string {
  return `${DEFAULT_CONFIG.topic_prefix}.${DEFAULT_CONFIG.environment}.${service}.${suffix}`
}

/** A consumer that keeps what it receives and lets a test await the n-th message. */
export interface Recorder extends Consumer {
  readonly messages: VerifiedMessage[]
  /** Resolves with the first `n` messages once they have arrived (rejects after `timeoutMs`). */
  received(n: number, timeoutMs?: number): Promise<VerifiedMessage[]>
}

export function recorder(topic: string | readonly string[], name = 'recorder'): Recorder {
  const messages: VerifiedMessage[] = []
  let wake: () => void = () => undefined
  return {
    name,
    topic,
    messages,
    consume(message) {
      messages.push(message)
      wake()
    },
    async received(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (messages.length < n) {
        const left = deadline - Date.now()
        if (left <= 0)
          throw new Error(`${name}: ${messages.length} of ${n} messages after ${timeoutMs} ms`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      return messages.slice(0, n)
    },
  }
}

/**
 * A raw XPUB socket bound at `address`, as an attacker on the network would have. XPUB (not PUB) so the test
 * can await the hub's subscription instead of guessing when the hub is listening.
 */
export async function rawPublisher(address: string): Promise<{
  socket: XPublisher
  subscribed(): Promise<void>
  send(frames: readonly (Buffer | string)[]): Promise<void>
}> {
  // ZMQ_XPUB_VERBOSE: pass every subscription, also one a subscriber that is still leaving already made.
  const socket = new XPublisher({ linger: 0, receiveTimeout: 10_000 })
  socket.verbosity = 'allSubs'
  await socket.bind(address)
  return {
    socket,
    async subscribed() {
      // Skip unsubscriptions (0x00) of subscribers that left; wait for a subscription (0x01).
      for (;;) {
        const [message] = await socket.receive()
        if (message?.[0] === 1) return
      }
    },
    send: (frames) => socket.send([...frames]),
  }
}
