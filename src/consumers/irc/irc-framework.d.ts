// The part of irc-framework (which ships no types) that the IRC bot uses.
declare module 'irc-framework' {
  import { EventEmitter } from 'node:events'
  export interface ClientOptions {
    host: string
    port: number
    nick: string
    username?: string
    gecos?: string
    tls?: boolean
    rejectUnauthorized?: boolean
    account?: { account: string; password: string }
    auto_reconnect?: boolean
    message_max_length?: number
    ping_interval?: number
    ping_timeout?: number
  }
  export class Client extends EventEmitter {
    constructor(options?: Partial<ClientOptions>)
    connect(options?: ClientOptions): void
    quit(message?: string): void
    join(channel: string): void
    say(target: string, message: string): void
    changeNick(nick: string): void
    connected: boolean
    user: { nick: string }
  }
}
