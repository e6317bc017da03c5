/**
 * TriggerRunner with real child processes: node running test/consumers/trigger-command.ts's recorder.
 * message -> offer() -> bounded queue -> spawn(argv, no shell) <- stdin JSON, FEDMSG_* env -> exit code counted
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TriggerRunner, type TriggerMessage } from '../../src/consumers/trigger/trigger-runner.js'
import { registerTriggerMetrics } from '../../src/consumers/trigger/trigger-metrics.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { recorded, writeRecorder } from './trigger-command.js'

const silent = pino({ level: 'silent' })
let dir: string
let recorder: string
let n = 0

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-trigger-'))
  recorder = writeRecorder(dir)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const message = (
  body: Record<string, unknown>,
  topic = 'org.fedoraproject.dev.bodhi.update.request',
): TriggerMessage => ({
  topic,
  body,
  signer: {
    name: 'bodhi',
    serial: '1a',
    fingerprint: 'ab'.repeat(32),
    issuer: 'CN=fedmsg dev intermediate',
  },
  msgId: `msg-${(n += 1)}`,
  i: n,
  timestamp: 1_700_000_000_000,
  headers: {},
})
const outFile = () => join(dir, `out-${(n += 1)}.jsonl`)
const runner = (
  argv: string[],
  limits: Partial<{
    concurrency: number
    queueSize: number
    timeoutMs: number
    killGraceMs: number
  }> = {},
) => new TriggerRunner({ argv, ...limits }, silent)

describe('trigger runs', () => {
  it('the message as JSON on stdin, topic/signer/msg_id in FEDMSG_* variables, exit 0 counted', async () => {
    const out = outFile()
    const trigger = runner([process.execPath, recorder, out])
    const sent = message({ update: 'FEDORA-2024-1' })
    expect(trigger.offer(sent)).toBe(true)
    await trigger.drain()
    const [run] = recorded(out)
    expect(JSON.parse(run!.stdin)).toEqual({
      topic: sent.topic,
      signer: sent.signer,
      msg_id: sent.msgId,
      i: sent.i,
      timestamp: sent.timestamp,
      headers: {},
      body: { update: 'FEDORA-2024-1' },
    })
    expect(run!.env).toEqual({
      FEDMSG_TOPIC: sent.topic,
      FEDMSG_SIGNER: 'bodhi',
      FEDMSG_MSG_ID: sent.msgId,
    })
    expect(trigger.stats()).toMatchObject({
      started: 1,
      exits: { '0': 1 },
      running: 0,
      queueDepth: 0,
    })
  })

  it('shell metacharacters in the body are data: nothing runs them', async () => {
    const out = outFile()
    const marker = join(dir, 'pwned')
    const hostile = `$(touch ${marker}); \`touch ${marker}\` | touch ${marker} && touch ${marker}; 'x"`
    const trigger = runner([process.execPath, recorder, out, hostile])
    trigger.offer(message({ comment: hostile }))
    await trigger.drain()
    const [run] = recorded(out)
    expect(JSON.parse(run!.stdin).body.comment).toBe(hostile)
    expect(run!.argv).toEqual([out, hostile])
    expect(existsSync(marker)).toBe(false)
  })

  it('exit codes are counted by code; a failing command does not stop the next', async () => {
    const out = outFile()
    const trigger = runner([process.execPath, recorder, out, 'exit:3'])
    for (let k = 0; k < 3; k += 1) trigger.offer(message({ k }))
    await trigger.drain()
    expect(trigger.stats().exits).toEqual({ '3': 3 })
    const registry = new Registry()
    registerTriggerMetrics(registry, () => trigger.stats())
    expect(await registry.metrics()).toContain('fedmsg_trigger_command_exits_total{code="3"} 3')
  })

  it('a command past its timeout is killed, SIGKILL after the grace period when it ignores SIGTERM', async () => {
    const out = outFile()
    const trigger = runner([process.execPath, recorder, out, 'sleep'], {
      timeoutMs: 500,
      killGraceMs: 200,
    })
    trigger.offer(message({}))
    await trigger.drain()
    expect(trigger.stats()).toMatchObject({ started: 1, timeouts: 1, exits: {}, running: 0 })
  })

  it('a command that cannot be started is a counted spawn error, not a crash', async () => {
    const trigger = runner([join(dir, 'no-such-command')])
    trigger.offer(message({}))
    await trigger.drain()
    expect(trigger.stats()).toMatchObject({ started: 1, spawnErrors: 1 })
  })

  it('a signer name spawn refuses as an environment value (a NUL byte) is a spawn error', async () => {
    const trigger = runner([process.execPath, recorder, outFile()])
    trigger.offer({ ...message({}), signer: { ...message({}).signer, name: 'bo\u0000dhi' } })
    await trigger.drain()
    expect(trigger.stats()).toMatchObject({ spawnErrors: 1 })
  })

  it('bounded: at most `concurrency` running and `queueSize` waiting; the overflow is dropped and counted', async () => {
    const out = outFile()
    const trigger = runner([process.execPath, recorder, out], { concurrency: 2, queueSize: 3 })
    const taken = Array.from({ length: 10 }, (_, k) => trigger.offer(message({ k })))
    expect(taken).toEqual([true, true, true, true, true, false, false, false, false, false])
    expect(trigger.stats()).toMatchObject({ running: 2, queueDepth: 3, dropped: 5 })
    await trigger.drain()
    await waitUntil(() => recorded(out).length === 5, 'five runs recorded')
    expect(trigger.stats()).toMatchObject({ started: 5, exits: { '0': 5 }, dropped: 5 })
  })

  it('stop() drops the queued messages (counted) and waits for the running ones', async () => {
    const trigger = runner([process.execPath, recorder, outFile()], {
      concurrency: 1,
      queueSize: 5,
    })
    for (let k = 0; k < 4; k += 1) trigger.offer(message({ k }))
    await trigger.stop()
    expect(trigger.stats()).toMatchObject({ started: 1, dropped: 3, running: 0, queueDepth: 0 })
    expect(trigger.offer(message({}))).toBe(false)
  })

  // Security review: a command that left a child behind (`cmd &`) exited at once, freeing its slot, while the
  // child ran on: one process per message, past `concurrency` and every timeout.
  it('children a command leaves behind are killed with it: nothing outlives its run', async () => {
    const pidFile = join(dir, `left-behind-${(n += 1)}.pid`)
    const trigger = runner(['/bin/sh', '-c', `sleep 60 & echo $! > ${pidFile}`])
    trigger.offer(message({}))
    await trigger.drain()
    expect(trigger.stats()).toMatchObject({ started: 1, exits: { '0': 1 } })
    const pid = Number(readFileSync(pidFile, 'utf8'))
    // A killed child nobody has reaped yet is a zombie: dead, though kill(pid, 0) still finds it.
    const alive = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
      } catch {
        return false
      }
    }
    try {
      await waitUntil(() => !alive(), 'the left-behind sleep to end', 10_000)
    } finally {
      if (alive()) process.kill(pid, 'SIGKILL')
    }
  })
})
