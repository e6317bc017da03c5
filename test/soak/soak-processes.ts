/**
 * The hub and the relay of the soak, as real `fedmsg` processes on one config file: start, restart (relay:
 * SIGTERM; hub: SIGKILL, no shutdown code runs), readiness by /healthz, and their resident set size from
 * /proc for the memory curve.
 */
import { readFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'
import { startCli, type CliProcess } from '../cli/cli-process.js'

export interface SoakProcess {
  readonly name: 'hub' | 'relay'
  /** Times this process was (re)started. */
  readonly starts: number
  current(): CliProcess
  /** Starts it and resolves once /healthz answers 200. */
  start(): Promise<void>
  /** Stops it with `signal` and waits until it exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Resident set size in bytes, or undefined while it is not running. */
  rss(): number | undefined
  /** Its rejections so far, by reason, from /metrics (empty when it does not answer). */
  rejections(): Promise<Record<string, number>>
  /** The value of one unlabelled series on /metrics, or undefined when it does not answer. */
  metric(name: string): Promise<number | undefined>
}

async function healthy(metrics: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await fetch(`http://${metrics}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ok) return
    if (Date.now() > deadline)
      throw new Error(`no 200 from http://${metrics}/healthz in ${timeoutMs} ms`)
    await delay(50)
  }
}

export function soakProcess(
  name: 'hub' | 'relay',
  options: { cwd: string; config: string; metrics: string },
): SoakProcess {
  let child: CliProcess | undefined
  let starts = 0
  return {
    name,
    get starts() {
      return starts
    },
    current() {
      if (child === undefined) throw new Error(`${name} is not running`)
      return child
    },
    async start() {
      child = startCli([name, '--config', options.config, '--metrics', options.metrics], {
        cwd: options.cwd,
      })
      starts++
      const exited = child.exited.then((code) => {
        throw new Error(`${name} exited (${code}) while starting:\n${child?.stderr.join('\n')}`)
      })
      await Promise.race([healthy(options.metrics, 60_000), exited])
      void exited.catch(() => undefined)
    },
    async stop(signal) {
      if (child === undefined) return
      const running = child
      child = undefined
      running.child.kill(signal)
      await running.exited
    },
    async rejections() {
      const text = await fetch(`http://${options.metrics}/metrics`).then(
        (response) => response.text(),
        () => '',
      )
      const counts: Record<string, number> = {}
      for (const [, reason, value] of text.matchAll(
        /^fedmsg_\w+_messages_rejected_total\{reason="(\w+)"\} (\d+)$/gm,
      )) {
        if (Number(value) > 0) counts[reason!] = Number(value)
      }
      return counts
    },
    async metric(name) {
      const text = await fetch(`http://${options.metrics}/metrics`).then(
        (response) => response.text(),
        () => '',
      )
      const value = new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]
      return value === undefined ? undefined : Number(value)
    },
    rss() {
      const pid = child?.child.pid
      if (pid === undefined) return undefined
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8')
        const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
        return kb === undefined ? undefined : Number(kb) * 1024
      } catch {
        return undefined
      }
    },
  }
}
