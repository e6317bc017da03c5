// @ts-check
/**
 * CPU time of each thread of this process, from /proc/self/task/TID/stat (Linux), and the hub's costs per
 * message read from it: its main thread, its verifier threads, and the rest of the process (V8's garbage
 * collection threads, libzmq's I/O thread). Node 20 gives worker threads no OS name, so the verifier threads
 * are told apart as the threads that appeared when the hub started and used the most CPU.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on every Linux build Node supports). */
const TICKS_PER_SECOND = 100

/**
 * CPU time per thread id, in µs; empty where /proc is not there.
 *
 * @returns {Map<number, number>}
 */
export function threadTimes() {
  /** @type {Map<number, number>} */
  const times = new Map()
  let tids
  try {
    tids = readdirSync('/proc/self/task')
  } catch {
    return times
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
      // 14th and 15th fields of the line, the 12th and 13th after ") ".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = Number(fields[11]) + Number(fields[12])
      times.set(Number(tid), (ticks * 1e6) / TICKS_PER_SECOND)
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times
}

/**
 * @typedef {object} HubCpu
 * @property {number} main µs of CPU per message on the hub's main thread
 * @property {number} workers µs per message on its verifier threads, all of them together
 * @property {number} other µs per message on the process's other threads
 */

/**
 * The CPU the hub's threads used between `before` and `after`, per message.
 *
 * @param {{ existing: ReadonlySet<number>, before: Map<number, number>, after: Map<number, number> }} times
 *   `existing`: thread ids from before the hub started
 * @param {number} workers how many verifier threads the hub runs
 * @param {number} messages delivered in the window
 * @returns {HubCpu}
 */
export function hubCpuPerMessage({ existing, before, after }, workers, messages) {
  const used = [...after].map(([tid, us]) => ({ tid, us: us - (before.get(tid) ?? 0) }))
  const main = used.find(({ tid }) => tid === process.pid)?.us ?? 0
  const verifiers = used
    .filter(({ tid }) => tid !== process.pid && !existing.has(tid))
    .sort((a, b) => b.us - a.us)
    .slice(0, workers)
    .reduce((sum, { us }) => sum + us, 0)
  const all = used.reduce((sum, { us }) => sum + us, 0)
  return {
    main: main / messages,
    workers: verifiers / messages,
    other: (all - main - verifiers) / messages,
  }
}

/**
 * Messages per second a hub with these costs would carry on `cores` cores with the publishers elsewhere: the
 * main thread is one thread, so it alone bounds the rate at 1 / main; all the work together shares the cores.
 *
 * @param {HubCpu} cpu
 * @param {number} cores
 */
export function projectedRate(cpu, cores) {
  const total = cpu.main + cpu.workers + cpu.other
  return Math.min(1e6 / cpu.main, (cores * 1e6) / total)
}
