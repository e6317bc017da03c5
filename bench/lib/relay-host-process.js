// @ts-check
/**
 * Child process: the relays under test and their bare ZeroMQ baselines, side by side and idle until traffic
 * comes: a plain relay (`verifier: null`, what `fedmsg relay --no-verify` runs) fed on both inputs, a verifying
 * relay configured as a consumer is (anchor and CRLs, other options default), and the bare forwarders.
 */
import { createRelay, EnvelopeVerifier } from '../../dist/index.js'
import { startNativeProxy, startRouterForwarder, startSubForwarder } from './bare-forwarders.js'
import { serveParent } from './child-process.js'

/** @type {(() => Promise<void>)[]} */
const closers = []
/** @type {Record<string, import('../../dist/index.js').Relay>} */
const relays = {}

const ANY = 'tcp://127.0.0.1:*'

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
    const verifier = new EnvelopeVerifier({ trustAnchors: [args.anchor], crls: args.crls })
    relays.verify = await createRelay({ ...common, verifier })
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
