// @ts-check
/**
 * Benchmarks that cross processes (relay, latency, memory) run their parts as child processes driven over
 * Node's IPC channel: the parent sends `{ id, op, args }`, the child answers `{ id, value }` or
 * `{ id, error }`. A child exits when asked to close and, so that no child outlives a benchmark that threw or
 * a parent that died, as soon as its IPC channel disconnects.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** How long a child may take to close before it is killed. */
const CLOSE_MS = 3000

/**
 * Children still running: killed if this process exits without closing them (an uncaught error).
 *
 * @type {Set<import('node:child_process').ChildProcess>}
 */
const running = new Set()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * @typedef {object} ChildHandle
 * @property {(op: string, args?: unknown) => Promise<any>} request runs `op` in the child, resolves with its answer
 * @property {() => Promise<void>} close asks the child to close, kills it after CLOSE_MS; never throws
 */

/**
 * Forks `module` (a file URL of one of the `*-process.js` files) and waits until it serves requests. Buffers
 * and typed arrays pass as they are (IPC serialization "advanced").
 *
 * @param {URL} module
 * @param {readonly string[]} [execArgv] Node options of the child, e.g. --expose-gc
 * @returns {Promise<ChildHandle>}
 */
export async function startChild(module, execArgv = []) {
  const child = fork(fileURLToPath(module), [], {
    execArgv: [...execArgv],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
  const pending = new Map()
  let nextId = 0
  let exited = false
  running.add(child)
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true
      running.delete(child)
      const error = new Error(`${module.pathname} exited (${signal ?? code}) during a request`)
      for (const { reject } of pending.values()) reject(error)
      pending.clear()
      resolve(undefined)
    })
  })
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('error', reject)
    void exit.then(() => reject(new Error(`${module.pathname} exited before it was ready`)))
  })
  child.on('message', (/** @type {any} */ message) => {
    const entry = pending.get(message?.id)
    if (entry === undefined) return
    pending.delete(message.id)
    if ('error' in message) entry.reject(new Error(`${module.pathname}: ${message.error}`))
    else entry.resolve(message.value)
  })
  try {
    await ready
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return {
    request(op, args) {
      if (exited) return Promise.reject(new Error(`${module.pathname} has exited`))
      nextId += 1
      const id = nextId
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        child.send({ id, op, args })
      })
    },
    async close() {
      if (exited) return
      const killer = setTimeout(() => child.kill('SIGKILL'), CLOSE_MS)
      child.send({ id: 0, op: 'close' }, () => undefined)
      await exit
      clearTimeout(killer)
    },
  }
}

/**
 * The child's side: answers requests with `handlers[op](args)`, one at a time in arrival order. `close` runs
 * the handler of that name (if any) and exits; so does a lost IPC channel (the parent died), at once.
 *
 * @param {Record<string, (args: any) => unknown>} handlers
 */
export function serveParent(handlers) {
  const send = process.send?.bind(process)
  if (send === undefined) throw new Error('a *-process.js file runs as a child of a benchmark')
  process.once('disconnect', () => process.exit(1))
  if (!process.connected) process.exit(1)
  let queue = Promise.resolve()
  process.on('message', (/** @type {any} */ message) => {
    queue = queue.then(async () => {
      const { id, op, args } = message
      if (op === 'close') {
        try {
          await handlers.close?.(args)
        } finally {
          process.exit(0)
        }
      }
      try {
        const handler = handlers[op]
        if (handler === undefined) throw new Error(`no operation ${op}`)
        send({ id, value: await handler(args) })
      } catch (error) {
        send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
      }
    })
  })
  send({ ready: true })
}
