// @ts-check
/**
 * `npm run bench [-- --quick] [-- --only NAME[,NAME]] [-- --json FILE]`: runs the benchmarks and prints one
 * table, each line a fedmsg figure, its baseline and their ratio, measured in the same run. See README.md.
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { TIMINGS } from './lib/measure.js'
import { tableHeader, tableLine } from './lib/table.js'
import e2e from './e2e.js'
import gateway from './gateway.js'
import latency from './latency.js'
import memory from './memory.js'
import peer from './peer.js'
import relay from './relay.js'
import sign from './sign.js'
import store from './store.js'
import verifyCold from './verify-cold.js'
import verifyWarm from './verify-warm.js'
import wire from './wire.js'

/** In table order. */
const BENCHMARKS = [sign, verifyWarm, verifyCold, wire, e2e, relay, latency, memory, gateway, store]

const USAGE = `usage: node bench/run.js [--quick] [--only NAME[,NAME...]] [--json FILE] [--messages N] [--rows N] [--peer]
  --quick  smoke mode: short rounds and small pools (numbers are rough)
  --only   run these benchmarks; a prefix selects a family ("verify" = verify-warm, verify-cold)
  --json   also write the rows and the machine description to FILE
  --messages  messages per memory phase (default 100000 valid, 50000 per forgery; issue 6: 1000000)
  --rows   rows generated for the store query figures (default 1000000 SQLite, 10000000 PostgreSQL)
  --peer   also the peer rows: Python fedmsg 1.1.7 (../shared/python-fedmsg) beside this project ("peer")
benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}`

/** @param {string[]} argv */
function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      json: { type: 'string' },
      messages: { type: 'string' },
      rows: { type: 'string' },
      peer: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const names = (values.only ?? []).flatMap((list) => list.split(',')).filter(Boolean)
  const selected = (values.peer ? [...BENCHMARKS, peer] : BENCHMARKS).filter(
    (b) => names.length === 0 || names.some((n) => b.name === n || b.name.startsWith(`${n}-`)),
  )
  const messages = values.messages === undefined ? undefined : Number(values.messages)
  if (messages !== undefined && !(Number.isSafeInteger(messages) && messages > 0)) {
    throw new Error(`--messages must be a positive integer, got ${values.messages}`)
  }
  const rows = values.rows === undefined ? undefined : Number(values.rows)
  if (rows !== undefined && !(Number.isSafeInteger(rows) && rows > 0)) {
    throw new Error(`--rows must be a positive integer, got ${values.rows}`)
  }
  return { ...values, messages, rows, names, selected }
}

function machine() {
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    date: new Date().toISOString(),
  }
}

async function main() {
  let options
  try {
    options = parseOptions(process.argv.slice(2))
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`)
    return 2
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  if (options.selected.length === 0) {
    console.error(`no benchmark matches ${options.names.join(', ')}\n${USAGE}`)
    return 2
  }
  const mode = options.quick ? 'quick' : 'full'
  const timing = TIMINGS[mode]
  const host = machine()
  console.log(
    `fedmsg bench (${mode}): node ${host.node}, ${host.cores} x ${host.cpu}, ${host.date}\n` +
      `ratio = fedmsg / baseline, both measured in this run; rounds = lowest-highest ratio of paired rounds\n`,
  )
  console.log(tableHeader())
  /** @type {import('./lib/row.js').Row[]} */
  const rows = []
  const started = Date.now()
  const context = {
    timing,
    quick: options.quick,
    messages: options.messages,
    rows,
    storeRows: options.rows,
    /** @param {import('./lib/row.js').Row} row */
    report(row) {
      rows.push(row)
      console.log(tableLine(row))
    },
  }
  for (const benchmark of options.selected) await benchmark.run(context)
  const seconds = (Date.now() - started) / 1000
  console.log(`\n${rows.length} figures in ${seconds.toFixed(1)} s`)
  if (options.json !== undefined) {
    const report = { mode, timing, machine: host, seconds, rows }
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`)
    console.log(`wrote ${options.json}`)
  }
  return 0
}

process.exitCode = await main()
