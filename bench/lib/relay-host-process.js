// @ts-check
/**
 * Child process: the relays under test and their bare ZeroMQ baselines, side by side and idle until traffic
 * comes: a plain relay (`verifier: null`, what `fedmsg relay --no-verify` runs) fed on both inputs, a verifying
 * relay built from a configuration as `fedmsg relay` builds it (anchor and CRL files, `verify_workers`
 * default: worker threads), and the bare forwarders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRelay, DEFAULT_CONFIG } from '../../dist/index.js'
import { startNativeProxy, startRouterForwarder, startSubForwarder } from './bare-forwarders.js'
import { serveParent } from './child-process.js'

/** @type {(() => Promise<void>)[]} */
const closers = []
/** @type {Record<string, import('../../dist/index.js').Relay>} */
const relays = {}

const ANY = 'tcp://127.0.0.1:*'

/**
 * PEM text of DER `items` under `label`, as a configuration's files hold them.
 *
 * @param {string} label
 * @param {Uint8Array[]} items
 */
const pemOf = (label, items) =>
  items
    .map((der) => {
      const lines =
        Buffer.from(der)
          .toString('base64')
          .match(/.{1,64}/g) ?? []
      return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
    })
    .join('')

/**
 * The configuration of the verifying relay: the bench's anchor and CRLs as files in a temp dir. The pool of
 * envelopes is signed before the relay starts, and a relay refuses what is stamped before its start less the
 * skew: the skew is widened so that none of them is; it changes no check's cost.
 *
 * @param {{ anchor: Uint8Array, crls: Uint8Array[] }} pki
 */
function verifyingConfig(pki) {
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-relay-'))
  closers.push(async () => rmSync(dir, { recursive: true, force: true }))
  const trust = join(dir, 'root-ca.crt')
  const crl = join(dir, 'crl.pem')
  writeFileSync(trust, pemOf('CERTIFICATE', [pki.anchor]))
  writeFileSync(crl, pemOf('X509 CRL', pki.crls))
  return { ...DEFAULT_CONFIG, trust: [trust], crl: [crl], clock_skew_seconds: 3600 }
}

serveParent({
  /**
   * Starts everything; `upstream` are the traffic process's XPUB addresses for the plain relay, the bare loop
   * and the native proxy. Returns every address the traffic process and the far side need.
   */
  async start(
    /** @type {{ anchor: Uint8Array, crls: Uint8Array[], hwm: number, upstream: { relay: string, loop: string, proxy: string } }} */ args,
  ) {
    const { hwm, upstream } = args
    const common = { inbound: ANY, outbound: ANY, hwm, linger: 0 }
    relays.plain = await createRelay({ ...common, upstream: [upstream.relay], verifier: null })
    closers.push(() => relays.plain.close())
    // Worker threads as `fedmsg relay` runs them with the default `verify_workers`.
    relays.verify = await createRelay({
      ...common,
      config: verifyingConfig(args),
      verifyWorkers: DEFAULT_CONFIG.verify_workers,
    })
    closers.push(() => relays.verify.close())
    const router = await startRouterForwarder(hwm)
    closers.push(router.close)
    const loop = await startSubForwarder(upstream.loop, hwm)
    closers.push(loop.close)
    const proxy = await startNativeProxy(upstream.proxy, hwm)
    closers.push(proxy.close)
    return {
      plain: relays.plain.endpoints,
      verify: relays.verify.endpoints,
      router: { inbound: router.inbound, outbound: router.outbound },
      loop: { outbound: loop.outbound },
      proxy: { outbound: proxy.outbound },
    }
  },
  /** CPU time this process has used, in µs (every relay and forwarder of the bench runs here). */
  cpu() {
    const { user, system } = process.cpuUsage()
    return user + system
  },
  stats() {
    return Object.fromEntries(Object.entries(relays).map(([name, relay]) => [name, relay.stats()]))
  },
  async close() {
    await Promise.allSettled(closers.map((close) => close()))
  },
})
