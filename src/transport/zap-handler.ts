import { Router } from 'zeromq'
import { ZAP_DOMAIN } from './socket-options.js'

/** Where libzmq sends ZAP requests for sockets of a context (ZMQ RFC 27). */
const ZAP_ENDPOINT = 'inproc://zeromq.zap.01'
const Z85_ALPHABET =
  '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'

/** Bytes of a Z85 string (ZeroMQ RFC 32); CURVE public keys are 40 characters for 32 bytes. */
export function decodeZ85(text: string): Buffer {
  if (text.length % 5 !== 0) throw new TypeError('a Z85 string has a multiple of 5 characters')
  const out = Buffer.alloc((text.length / 5) * 4)
  for (let chunk = 0; chunk < text.length / 5; chunk += 1) {
    let value = 0
    for (const char of text.slice(chunk * 5, chunk * 5 + 5)) {
      const digit = Z85_ALPHABET.indexOf(char)
      if (digit === -1) throw new TypeError(`"${char}" is not a Z85 character`)
      value = value * 85 + digit
    }
    out.writeUInt32BE(value >>> 0, chunk * 4)
  }
  return out
}

/** A hold on the ZAP handler: allows `keys` until released. */
export interface ZapLease {
  release(): void
}

interface Handler {
  readonly router: Router
  readonly leases: Set<ReadonlySet<string>>
}

// zeromq.js has no built-in ZAP handler and libzmq allows one per context, so the process shares one.
let handler: Handler | undefined

/**
 * Makes CURVE servers in domain `fedmsg` accept only clients whose public key is in `allowedClients`
 * (Z85). libzmq asks the handler during each CURVE handshake; the answer is 200 (allowed) or 400 (denied).
 * Servers of one process share the handler, so a key allowed by one of them is allowed by all.
 *
 * @example
 * ```ts
 * const lease = await allowCurveClients([clientPublicKeyZ85])
 * // … bind CURVE server sockets with zapDomain 'fedmsg' …
 * lease.release()
 * ```
 */
export async function allowCurveClients(allowedClients: readonly string[]): Promise<ZapLease> {
  const keys: ReadonlySet<string> = new Set(
    allowedClients.map((key) => decodeZ85(key).toString('hex')),
  )
  if (handler === undefined) {
    const router = new Router({ linger: 0 })
    handler = { router, leases: new Set() }
    await router.bind(ZAP_ENDPOINT)
    void answerRequests(handler)
  }
  const current = handler
  current.leases.add(keys)
  return {
    release() {
      current.leases.delete(keys)
      if (current.leases.size === 0 && handler === current) {
        handler = undefined
        current.router.close()
      }
    },
  }
}

async function answerRequests({ router, leases }: Handler): Promise<void> {
  for await (const frames of router) {
    // [peer, empty, version, request id, domain, address, identity, mechanism, credentials…]
    const [peer, empty, version, requestId, domain, , , mechanism, key] = frames
    if (
      peer === undefined ||
      empty === undefined ||
      version === undefined ||
      requestId === undefined
    ) {
      continue
    }
    const allowed =
      domain?.toString() === ZAP_DOMAIN &&
      mechanism?.toString() === 'CURVE' &&
      key !== undefined &&
      [...leases].some((set) => set.has(key.toString('hex')))
    await router.send([
      peer,
      empty,
      version,
      requestId,
      allowed ? '200' : '400',
      allowed ? 'OK' : 'client key not allowed',
      '',
      '',
    ])
  }
}
