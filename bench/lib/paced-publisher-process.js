// @ts-check
/**
 * Child process: publishes at a fixed rate, each message carrying the instant it was handed to the publisher
 * on the clock all processes of this machine share (lib/shared-clock.js). Two publishers, used in turn: fedmsg's
 * (`createPublisher`, bind path: sign, then PUB) and a bare ZeroMQ PUB sending frames of the same size.
 */
import { createPrivateKey } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'
import { Publisher as BarePublisher } from 'zeromq'
import { createPublisher, DEFAULT_CONFIG } from '../../dist/index.js'
import { EnvelopeSigner } from '../../dist/internal.js'
import { serveParent } from './child-process.js'
import { bareFrame, sharedNow, stampedBody } from './shared-clock.js'

/** Unpaced runs yield to the event loop this often, so that IPC and timers are served. */
const UNPACED_BATCH = 64

/** @type {import('../../dist/index.js').Publisher | undefined} */
let fedmsg
/** @type {BarePublisher | undefined} */
let bare
/** @type {{ topic: string, msg: Record<string, unknown>, suffix: string, envelopeBytes: number }} */
let payload

/** Sends one message on `target`, stamped now. */
const senders = {
  /** @param {boolean} measured */
  async fedmsg(measured) {
    await fedmsg?.publish(payload.suffix, stampedBody(payload.msg, sharedNow(), measured))
  },
  /** @param {boolean} measured */
  async bare(measured) {
    await bare?.send([payload.topic, bareFrame(payload.envelopeBytes, sharedNow(), measured)])
  },
}

serveParent({
  /** Binds both publishers; returns their addresses and the topic the fedmsg one publishes on. */
  async start(
    /** @type {{ certificates: Uint8Array[], pkcs8: Uint8Array, msg: Record<string, unknown>, suffix: string }} */ args,
  ) {
    const privateKey = createPrivateKey({
      key: Buffer.from(args.pkcs8),
      format: 'der',
      type: 'pkcs8',
    })
    const signer = new EnvelopeSigner({ certificates: args.certificates, privateKey })
    const config = { ...DEFAULT_CONFIG, linger_ms: 0, heartbeat_interval_ms: 3_600_000 }
    fedmsg = await createPublisher({ name: 'bodhi', config, signer, bind: ['tcp://127.0.0.1:*'] })
    const topic = `${config.topic_prefix}.${config.environment}.bodhi.${args.suffix}`
    const sample = signer.sign({ topic, msg: stampedBody(args.msg, sharedNow(), true), i: 1 })
    payload = { topic, msg: args.msg, suffix: args.suffix, envelopeBytes: sample.frame.length }
    bare = new BarePublisher({ linger: 0, sendHighWaterMark: config.high_water_mark })
    await bare.bind('tcp://127.0.0.1:*')
    return { fedmsg: fedmsg.endpoints[0], bare: bare.lastEndpoint, ...payload }
  },
  /**
   * Sends on `target` for `warmupMs` (unmeasured) then `ms` (measured), `rate` messages per second, or as fast
   * as possible without `rate`. Paced sending wakes up on a timer (about once a millisecond) and sends every
   * message due by then.
   */
  async run(
    /** @type {{ target: 'fedmsg' | 'bare', rate?: number, warmupMs: number, ms: number }} */ args,
  ) {
    const send = senders[args.target]
    const started = performance.now()
    const measureFrom = started + args.warmupMs
    const end = measureFrom + args.ms
    const counts = { sent: 0, measured: 0 }
    const sendOne = async (/** @type {number} */ now) => {
      const measured = now >= measureFrom
      await send(measured)
      counts.sent += 1
      if (measured) counts.measured += 1
    }
    if (args.rate === undefined) {
      for (let now = started; now < end; now = performance.now()) {
        for (let k = 0; k < UNPACED_BATCH; k++) await sendOne(now)
        await yieldToLoop()
      }
      return counts
    }
    const interval = 1000 / args.rate
    let due = started
    for (let now = started; now < end; now = performance.now()) {
      for (; due <= now; due += interval) await sendOne(now)
      await sleep(due - performance.now())
    }
    return counts
  },
  async close() {
    await fedmsg?.close()
    bare?.close()
  },
})
