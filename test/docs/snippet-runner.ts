/**
 * What doc-snippets-installed.test.ts needs to run a block: processes, path rebasing, and what a block takes
 * as given (files it reads, a bus to feed a consumer).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export async function run(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, env, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as Run
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** Moves the absolute paths of the documents' examples under `root`. */
export const rebase = (code: string, root: string) =>
  code.replace(/(?<=^|[\s'"=])\/(etc|media|srv)\//gm, `${root}/$1/`)

/**
 * What the README's verifier block takes as given, under `root`: /etc/fedmsg/{ca.crt,ca.crl,policy.json} of
 * the dev CA, and a preload module defining `topicFrame` and `envelopeFrame` (a message bodhi signed) and
 * `handle` (prints the signer). Returns the preload module's path.
 */
export function writeVerifierGivens(root: string, devCaDir: string): string {
  mkdirSync(join(root, 'etc', 'fedmsg'), { recursive: true })
  writeFileSync(join(root, 'etc/fedmsg/ca.crt'), readFileSync(join(devCaDir, 'root-ca.crt')))
  writeFileSync(join(root, 'etc/fedmsg/ca.crl'), readFileSync(join(devCaDir, 'crl.pem')))
  writeFileSync(
    join(root, 'etc/fedmsg/policy.json'),
    JSON.stringify({
      default: 'deny',
      rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }],
    }),
  )
  const preload = join(root, 'frames.mjs')
  writeFileSync(
    preload,
    [
      "import { EnvelopeSigner } from 'fedmsg/internal'",
      `const signer = EnvelopeSigner.fromFiles(${JSON.stringify({ certFile: join(devCaDir, 'services/bodhi.crt'), keyFile: join(devCaDir, 'services/bodhi.key') })})`,
      "const { topic, frame } = signer.sign({ topic: 'org.fedoraproject.prod.bodhi.update.request', msg: { update: 'foo' }, i: 1 })",
      'globalThis.topicFrame = Buffer.from(topic)',
      'globalThis.envelopeFrame = frame',
      "globalThis.handle = (message) => console.log('handled', message.signer.name, message.topic)",
    ].join('\n'),
  )
  return preload
}

/** A script that runs `consumerModule` in a hub and publishes to it until it consumed one message. */
export function consumerDriver(consumerModule: string): string {
  return `
import consumer from '${consumerModule}'
import { createHub, createPublisher, devDefaults } from 'fedmsg'
const config = devDefaults()
const publisher = await createPublisher({ name: 'bodhi', config, bind: ['tcp://127.0.0.1:*'] })
let consumed
const done = new Promise((resolve) => (consumed = resolve))
const hub = await createHub({
  config,
  connect: publisher.endpoints,
  consumers: [{ ...consumer, consume: (message) => (consumer.consume(message), consumed()) }],
})
// Until the hub's subscription is in place, PUB drops messages: publish until one arrives.
const timer = setInterval(() => void publisher.publish('update.request', { update: 'foo-1.0-1.fc40' }), 100)
await done
clearInterval(timer)
await publisher.close()
await hub.close()
`
}
