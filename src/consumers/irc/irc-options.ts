/** Limits and timings of `fedmsg irc`, in one place. */
export const IRC_DEFAULTS = {
  port: 6667,
  tlsPort: 6697,
  nick: 'fedmsg',
  /** Lines per second sent to the server once the burst is spent (servers kick faster senders). */
  linesPerSecond: 1,
  /** Lines sent at once before the rate applies. */
  burst: 4,
  /** Lines waiting for the flood gate; beyond it new ones are dropped and counted. */
  queueSize: 200,
  /** Bytes of one message line's text (an IRC line is at most 512 bytes with its prefix and command). */
  maxLineBytes: 400,
  /** First reconnect delay; doubled at each failure up to `reconnectMaxMs`. */
  reconnectMinMs: 1_000,
  reconnectMaxMs: 60_000,
} as const

/** Where summaries go: a channel and the topic patterns it wants (`>` alone for every message). */
export interface IrcChannel {
  readonly name: string
  readonly topics: readonly string[]
}

export interface IrcOptions {
  readonly host: string
  readonly port?: number
  readonly nick?: string
  readonly channels: readonly IrcChannel[]
  readonly tls?: boolean
  /** Default true: a TLS server's certificate must be valid for `host`. */
  readonly tlsVerify?: boolean
  /** SASL PLAIN account; the password comes from the environment, never from a flag. */
  readonly saslAccount?: string
  readonly saslPassword?: string
  /** Default true: each service's name gets its own IRC colour. */
  readonly colour?: boolean
  readonly linesPerSecond?: number
  readonly burst?: number
  readonly queueSize?: number
  readonly maxLineBytes?: number
  readonly reconnectMinMs?: number
  readonly reconnectMaxMs?: number
}

export type ResolvedIrcOptions = Required<Omit<IrcOptions, 'saslAccount' | 'saslPassword'>> &
  Pick<IrcOptions, 'saslAccount' | 'saslPassword'>

/** IRC channel names: `#` or `&`, then no space, comma or BEL (RFC 2812 §1.3). */
// eslint-disable-next-line no-control-regex -- RFC 2812 forbids BEL in channel names
const CHANNEL = /^[#&][^\s,\x07]{1,49}$/

/**
 * Applies the defaults; throws a TypeError for a bad channel name, no channel, or a limit out of range (the
 * CLI checks its flags before).
 */
export function resolveIrcOptions(options: IrcOptions): ResolvedIrcOptions {
  if (options.channels.length === 0) throw new TypeError('irc: at least one channel is required')
  for (const channel of options.channels) {
    if (!CHANNEL.test(channel.name)) throw new TypeError(`irc: bad channel name ${channel.name}`)
    if (channel.topics.length === 0) throw new TypeError(`irc: ${channel.name} has no topics`)
  }
  if ((options.saslAccount === undefined) !== (options.saslPassword === undefined)) {
    throw new TypeError('irc: SASL needs both an account and a password')
  }
  const tls = options.tls ?? false
  const resolved = {
    host: options.host,
    port: options.port ?? (tls ? IRC_DEFAULTS.tlsPort : IRC_DEFAULTS.port),
    nick: options.nick ?? IRC_DEFAULTS.nick,
    channels: options.channels.map((c) => ({ name: c.name, topics: [...c.topics] })),
    tls,
    tlsVerify: options.tlsVerify ?? true,
    saslAccount: options.saslAccount,
    saslPassword: options.saslPassword,
    colour: options.colour ?? true,
    linesPerSecond: options.linesPerSecond ?? IRC_DEFAULTS.linesPerSecond,
    burst: options.burst ?? IRC_DEFAULTS.burst,
    queueSize: options.queueSize ?? IRC_DEFAULTS.queueSize,
    maxLineBytes: options.maxLineBytes ?? IRC_DEFAULTS.maxLineBytes,
    reconnectMinMs: options.reconnectMinMs ?? IRC_DEFAULTS.reconnectMinMs,
    reconnectMaxMs: options.reconnectMaxMs ?? IRC_DEFAULTS.reconnectMaxMs,
  }
  for (const key of ['port', 'burst', 'queueSize', 'maxLineBytes', 'reconnectMinMs'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new TypeError(`irc: ${key} must be a positive integer, not ${resolved[key]}`)
    }
  }
  if (!(resolved.linesPerSecond > 0)) throw new TypeError('irc: linesPerSecond must be positive')
  if (resolved.reconnectMaxMs < resolved.reconnectMinMs) {
    throw new TypeError('irc: reconnectMaxMs must be at least reconnectMinMs')
  }
  return resolved
}
