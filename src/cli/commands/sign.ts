import { InvalidArgumentError, Option, type Command } from 'commander'
import { ALL_ALGS } from '../../crypto/algorithms.js'
import { EnvelopeSigner } from '../../crypto/envelope/envelope-signer.js'
import { readPassphraseFile } from '../../crypto/keys/passphrase-file.js'
import type { Alg } from '../../crypto/envelope/verified-message.js'
import { UsageError } from '../../errors.js'
import { readStdin } from '../read-stdin.js'

interface SignFlags {
  cert: string
  key: string
  chain?: string
  topic: string
  headers?: Record<string, string>
  alg?: Alg
  passphraseFile?: string
  seq: number
}

function parseSeq(value: string): number {
  const seq = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seq) || seq < 1) {
    throw new InvalidArgumentError('must be an integer >= 1')
  }
  return seq
}

function parseHeaders(value: string): Record<string, string> {
  let headers: unknown
  try {
    headers = JSON.parse(value)
  } catch {
    throw new InvalidArgumentError('must be a JSON object of strings')
  }
  const isStringMap =
    typeof headers === 'object' &&
    headers !== null &&
    !Array.isArray(headers) &&
    Object.values(headers).every((h) => typeof h === 'string')
  if (!isStringMap) throw new InvalidArgumentError('must be a JSON object of strings')
  return headers as Record<string, string>
}

async function readBody(): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = JSON.parse((await readStdin()).toString('utf8'))
  } catch (error) {
    throw new UsageError('standard input is not JSON: pipe the message body as one JSON object', {
      cause: error,
    })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UsageError('the message body on standard input must be a JSON object')
  }
  return body as Record<string, unknown>
}

/**
 * `fedmsg sign --cert LEAF.pem --key KEY.pem [--chain PEM] --topic T [--headers JSON] [--alg A]
 * [--passphrase-file F] [--seq N]`: signs the JSON body on stdin and prints one envelope line.
 * Exit 0; 2 on a usage, certificate or key error.
 */
export function registerSignCommand(program: Command): void {
  program
    .command('sign')
    .description('sign the JSON object on stdin into one fedmsg/1 envelope, printed as one line')
    .requiredOption('--cert <file>', 'PEM: the leaf certificate, then its intermediates')
    .requiredOption('--key <file>', 'PKCS#8 PEM private key of the leaf (mode 0600)')
    .option('--chain <file>', 'PEM: more intermediates, appended to x5c')
    .requiredOption('--topic <topic>', 'the full topic, e.g. org.fedoraproject.dev.logger.log')
    .option('--headers <json>', 'a JSON object of string headers', parseHeaders)
    .addOption(
      new Option('--alg <alg>', 'signature algorithm (default from the key; RSA: PS256)').choices(
        ALL_ALGS,
      ),
    )
    .option('--passphrase-file <file>', 'file whose first line is the key passphrase')
    .option('--seq <n>', 'the sequence number i', parseSeq, 1)
    .action(async (flags: SignFlags) => {
      const signer = EnvelopeSigner.fromFiles({
        certFile: flags.cert,
        keyFile: flags.key,
        ...(flags.chain === undefined ? {} : { chainFile: flags.chain }),
        ...(flags.passphraseFile === undefined
          ? {}
          : { passphrase: readPassphraseFile(flags.passphraseFile) }),
        ...(flags.alg === undefined ? {} : { alg: flags.alg }),
      })
      const { frame } = signer.sign({
        topic: flags.topic,
        msg: await readBody(),
        i: flags.seq,
        ...(flags.headers === undefined ? {} : { headers: flags.headers }),
      })
      process.stdout.write(Buffer.concat([frame, Buffer.from('\n')]))
    })
}
