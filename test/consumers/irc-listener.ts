import irc from 'irc-framework'
import { waitUntil } from '../fixtures/wait-until.js'

/** A person in the channels: a real IRC client that records what the bot says there. */
export interface IrcListener {
  readonly lines: { target: string; nick: string; text: string; at: number }[]
  /** Nicks that joined a channel after the listener. */
  readonly joins: string[]
  close(): void
}

/** Connects to the test server as `nick` and joins `channels`; resolves once every join is confirmed. */
export async function listenOnIrc(
  port: number,
  nick: string,
  channels: readonly string[],
): Promise<IrcListener> {
  const client = new irc.Client({ auto_reconnect: false })
  const lines: IrcListener['lines'] = []
  const joins: string[] = []
  const joined = new Set<string>()
  client.on('privmsg', (event: { target: string; nick: string; message: string }) =>
    lines.push({ target: event.target, nick: event.nick, text: event.message, at: Date.now() }),
  )
  client.on('join', (event: { channel: string; nick: string }) => {
    if (event.nick === nick) joined.add(event.channel)
    else joins.push(event.nick)
  })
  client.on('registered', () => channels.forEach((channel) => client.join(channel)))
  client.connect({ host: '127.0.0.1', port, nick })
  await waitUntil(() => joined.size === channels.length, `${nick} in ${channels.join(' ')}`, 15_000)
  return { lines, joins, close: () => client.quit('bye') }
}
