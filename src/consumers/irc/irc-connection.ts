import irc from 'irc-framework'
import type { Logger } from 'pino'
import type { IrcLine } from './flood-gate.js'
import type { ResolvedIrcOptions } from './irc-options.js'

export interface IrcConnectionStats {
  readonly connected: boolean
  readonly nick: string
  readonly reconnects: number
  readonly nickCollisions: number
}

/**
 * The bot's one connection to the server: registers (SASL when configured), joins the channels, and comes
 * back after any loss with exponential backoff (`reconnectMinMs` doubled up to `reconnectMaxMs`), for as long
 * as the bot runs. A nick in use gets `_` appended (then a number), so two bots never fight over one nick.
 */
export class IrcConnection {
  readonly #options: ResolvedIrcOptions
  readonly #log: Logger
  readonly #onReady: () => void
  readonly #client: irc.Client
  #ready = false
  #closing = false
  #failures = 0
  #socketError: string | undefined
  #timer: NodeJS.Timeout | undefined
  #reconnects = 0
  #nickCollisions = 0
  #nick: string

  constructor(options: ResolvedIrcOptions, log: Logger, onReady: () => void) {
    this.#options = options
    this.#log = log
    this.#onReady = onReady
    this.#nick = options.nick
    // irc-framework's own reconnect gives up after a few tries: this class retries without end instead.
    this.#client = new irc.Client({ auto_reconnect: false })
    this.#client.on('registered', (event: { nick: string }) => this.#registered(event.nick))
    this.#client.on('nick in use', (event: { nick?: string }) => this.#nickInUse(event.nick))
    this.#client.on('close', () => this.#lost(this.#socketError ?? 'connection closed'))
    // irc-framework hands the socket's error (refused, TLS certificate not trusted) to 'socket close' only.
    this.#client.on('socket close', (error?: Error | false) => {
      this.#ready = false
      if (error) this.#socketError = error.message
    })
    this.#client.on('irc error', (event: { error?: string; reason?: string }) =>
      this.#log.warn({ error: event.error, reason: event.reason }, 'irc server error'),
    )
  }

  connect(): void {
    this.#socketError = undefined
    const o = this.#options
    this.#client.connect({
      host: o.host,
      port: o.port,
      nick: o.nick,
      username: o.nick,
      gecos: 'fedmsg irc bot',
      tls: o.tls,
      rejectUnauthorized: o.tlsVerify,
      auto_reconnect: false,
      ...(o.saslAccount !== undefined && o.saslPassword !== undefined
        ? { account: { account: o.saslAccount, password: o.saslPassword } }
        : {}),
    })
  }

  /** Sends a line when registered; false when not (the flood gate keeps it). */
  send(line: IrcLine): boolean {
    if (!this.#ready) return false
    this.#client.say(line.target, line.text)
    return true
  }

  /** Says goodbye (QUIT) when connected and stops reconnecting. */
  close(): Promise<void> {
    this.#closing = true
    clearTimeout(this.#timer)
    if (!this.#client.connected) return Promise.resolve()
    return new Promise((resolve) => {
      const done = setTimeout(resolve, 2_000)
      this.#client.once('close', () => (clearTimeout(done), resolve()))
      this.#client.quit('fedmsg irc stopping')
    })
  }

  stats(): IrcConnectionStats {
    return {
      connected: this.#ready,
      nick: this.#nick,
      reconnects: this.#reconnects,
      nickCollisions: this.#nickCollisions,
    }
  }

  #registered(nick: string): void {
    this.#failures = 0
    this.#nick = nick
    for (const channel of this.#options.channels) this.#client.join(channel.name)
    this.#ready = true
    this.#log.info({ server: `${this.#options.host}:${this.#options.port}`, nick }, 'irc connected')
    this.#onReady()
  }

  #nickInUse(nick: string | undefined): void {
    this.#nickCollisions += 1
    const base = this.#options.nick
    const next = nick === base ? `${base}_` : `${base}${this.#nickCollisions}`
    this.#log.warn({ nick, next }, 'irc nick in use: trying another')
    this.#client.changeNick(next)
  }

  #lost(why: string): void {
    this.#ready = false
    if (this.#closing) return
    const wait = Math.min(
      this.#options.reconnectMaxMs,
      this.#options.reconnectMinMs * 2 ** Math.min(this.#failures, 20),
    )
    this.#failures += 1
    this.#reconnects += 1
    this.#log.warn({ why, retryInMs: wait }, 'irc connection lost: reconnecting')
    this.#timer = setTimeout(() => this.connect(), wait)
  }
}
