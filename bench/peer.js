// @ts-check
/**
 * peer (`--peer`): this project beside Python fedmsg 1.1.7 (../shared/python-fedmsg, run from its setup) on the
 * same machine in the same run. Python's own code is measured in its own process: `fedmsg.crypto.sign`,
 * `fedmsg.crypto.validate`, and its consumer end to end (`tail_messages` with validate_signatures, fed one
 * pre-signed frame as fast as it takes it). Rows, each this project's figure over Python's (the ratio):
 * - bridge (x509, Python fedmsg's crypto name): LegacyVerifier.verify of Python's frame + EnvelopeSigner.sign of the bridged message, in
 *   process, over Python's validate rate;
 * - publisher: EnvelopeSigner.sign (ES256, the same body) over Python's sign rate; goal >= 100;
 * - hub verified: the `e2e hub w=N` figure of this run over Python's validate rate (goal >= 20) and over its
 *   consumer's end-to-end rate.
 * Python's rates are taken before ours, not interleaved with them: read the ratios as the order of magnitude.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as delay } from 'node:timers/promises'
import { XPublisher } from 'zeromq'
import { bridgedBody, bridgedHeaders } from '../dist/legacy/legacy-body.js'
import { LegacyVerifier } from '../dist/legacy/legacy-verifier.js'
import e2e from './e2e.js'
import { compare, median } from './lib/measure.js'
import { PAYLOADS } from './lib/payloads.js'
import { pkiFor } from './lib/pki.js'

const PEER_WORK = process.env.FEDMSG_PEER_WORK ?? '/tmp/pyfedmsg'
const PEER_PKI = process.env.FEDMSG_PEER_PKI ?? join(PEER_WORK, 'pki')
/** Debian's interpreter, which sees the apt modules Python fedmsg needs (../shared/python-fedmsg/README.md). */
const PEER_PY = '/usr/bin/python3'
const SECONDS = {
  full: { rates: 3, warmup: 1, e2e: 3 },
  quick: { rates: 0.5, warmup: 0.3, e2e: 0.5 },
}

/** Why the peer rows cannot run here, or undefined when Python fedmsg is set up. */
function peerMissing() {
  if (!existsSync(join(PEER_WORK, 'src', 'fedmsg', 'crypto', 'x509_ng.py')))
    return `Python fedmsg not found under ${PEER_WORK}`
  if (!existsSync(join(PEER_PKI, 'ca.crt'))) return `no peer PKI at ${PEER_PKI}`
  return undefined
}

const pythonEnv = () => ({ ...process.env, PYTHONPATH: join(PEER_WORK, 'src') })

/** @param {{ topic: string, msg: object }} message @param {number} seconds */
function pythonRates(message, seconds) {
  const script = new URL('./peer/python-fedmsg-rates.py', import.meta.url).pathname
  const out = execFileSync(PEER_PY, [script, PEER_PKI, String(seconds)], {
    input: JSON.stringify(message),
    env: pythonEnv(),
    encoding: 'utf8',
  })
  return /** @type {{ sign_per_s: number, validate_per_s: number, wire: string }} */ (
    JSON.parse(out)
  )
}

/**
 * Python fedmsg's consumer fed `wire` over tcp from a no-drop XPUB, as fast as it reads.
 * @param {string} topic @param {string} wire @param {{ warmup: number, e2e: number }} seconds
 */
async function pythonConsumerRate(topic, wire, seconds) {
  // ZMQ_XPUB_NODROP with ZMQ_SNDTIMEO 0: EAGAIN when Python's queue is full, then a 1 ms wait (as
  // lib/traffic-process.js does), so this side sleeps instead of spinning beside Python on a shared core.
  const socket = new XPublisher({
    noDrop: true,
    sendHighWaterMark: 1000,
    sendTimeout: 0,
    linger: 0,
  })
  await socket.bind('tcp://127.0.0.1:*')
  const script = new URL('./peer/python-fedmsg-consumer.py', import.meta.url).pathname
  const args = [
    script,
    PEER_PKI,
    socket.lastEndpoint ?? '',
    topic,
    String(seconds.warmup),
    String(seconds.e2e),
  ]
  const child = spawn(PEER_PY, args, { env: pythonEnv(), stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')
  try {
    const line = once(
      createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }),
      'line',
    )
    await socket.receive() // its subscription
    let done = false
    void line.then(() => (done = true))
    void exited.then(() => (done = true))
    while (!done) {
      await socket.send([topic, wire]).catch(async (/** @type {{ code?: unknown }} */ error) => {
        if (error.code !== 'EAGAIN') throw error
        await delay(1)
      })
    }
    const [text] = await line
    return /** @type {{ per_s: number }} */ (JSON.parse(text)).per_s
  } finally {
    if (child.exitCode === null) child.kill()
    socket.close()
  }
}

/** The `e2e hub w=N` rounds of this run, measured now when `e2e` was not selected. */
async function hubRounds(/** @type {import('./lib/row.js').Context} */ context) {
  const of = (/** @type {readonly import("./lib/row.js").Row[]} */ rows) =>
    rows.find((row) => row.figure.startsWith('e2e hub w=') && row.figure !== 'e2e hub w=0')
  const found = of(context.rows)
  if (found !== undefined) return found
  /** @type {import('./lib/row.js').Row[]} */
  const rows = []
  await e2e.run({ ...context, report: (row) => void rows.push(row) })
  return /** @type {import('./lib/row.js').Row} */ (of(rows))
}

/**
 * @param {{ figure: string, payload: string, baselineName: string, goal?: number, note?: string }} what
 * @param {number[]} rounds ours @param {number} python
 * @returns {import('./lib/row.js').Row}
 */
function peerRow(what, rounds, python) {
  const value = median(rounds)
  return {
    ...what,
    alg: what.figure === 'hub verified' || what.figure === 'publisher' ? 'ES256' : 'x509',
    unit: 'ops/s',
    value,
    baseline: python,
    ratio: value / python,
    rounds,
    baselineRounds: rounds.map(() => python),
  }
}

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'peer',
  async run(context) {
    const missing = peerMissing()
    if (missing !== undefined) {
      console.log(
        `peer rows skipped: ${missing}; run FEDMSG_PEER_WORK=${PEER_WORK} bash ../shared/python-fedmsg/setup.sh`,
      )
      return
    }
    const seconds = SECONDS[context.quick ? 'quick' : 'full']
    const payload = /** @type {import('./lib/payloads.js').Payload} */ (
      PAYLOADS.find((p) => p.name === '1 KB')
    )
    const python = pythonRates({ topic: payload.topic, msg: payload.msg }, seconds.rates)
    const pythonE2e = await pythonConsumerRate(payload.topic, python.wire, seconds)

    const legacy = new LegacyVerifier({
      acceptSha1: true,
      caCerts: [readFileSync(join(PEER_PKI, 'ca.crt'), 'utf8')],
      crls: [readFileSync(join(PEER_PKI, 'crl.pem'), 'utf8')],
    })
    const { signer } = (await pkiFor('ES256')).leaf
    let i = 0
    const bridge = {
      run(/** @type {number} */ count) {
        for (let n = 0; n < count; n++) {
          const result = legacy.verify(payload.topic, python.wire)
          if (!result.ok)
            throw new Error(`legacy verifier refused Python's frame: ${result.reason}`)
          const { message } = result
          signer.sign({
            topic: message.topic,
            msg: bridgedBody(message),
            i: ++i,
            headers: bridgedHeaders(message),
          })
        }
      },
    }
    const publish = {
      run(/** @type {number} */ count) {
        for (let n = 0; n < count; n++)
          signer.sign({ topic: payload.topic, msg: payload.msg, i: ++i })
      },
    }
    const ours = compare(bridge, publish, context.timing)
    const hub = await hubRounds(context)
    const rounds = /** @type {number[]} */ (hub.rounds)
    const at = { payload: payload.name }
    context.report(
      peerRow(
        {
          ...at,
          figure: 'bridge',
          baselineName: 'py validate',
          note: 'legacy verify + re-sign',
        },
        ours.figure.rounds,
        python.validate_per_s,
      ),
    )
    context.report(
      peerRow(
        { ...at, figure: 'publisher', baselineName: 'py sign', goal: 100 },
        ours.baseline.rounds,
        python.sign_per_s,
      ),
    )
    context.report(
      peerRow(
        { ...at, figure: 'hub verified', baselineName: 'py validate', goal: 20, note: hub.figure },
        rounds,
        python.validate_per_s,
      ),
    )
    context.report(
      peerRow(
        {
          ...at,
          figure: 'hub verified',
          baselineName: 'py consumer',
          note: `${hub.figure}; py: tail_messages, validate_signatures`,
        },
        rounds,
        pythonE2e,
      ),
    )
  },
}
