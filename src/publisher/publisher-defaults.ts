/**
 * A publisher's defaults, in one place. The subscriber wait applies to the bind path only (the relay path
 * queues in its DEALER until the relay is reachable).
 */
export const PUBLISHER_DEFAULTS = {
  /**
   * Subscriptions a bound publisher waits for before its first message: one hub. A hub subscribes once per
   * connection (to `<topic_prefix>.`), so N hubs that must see the first message are `awaitSubscribers: N`.
   */
  awaitSubscribers: 1,
  /**
   * The longest that wait lasts, from the bind: several of a hub's reconnect intervals (reconnect_ivl_ms,
   * 100 ms by default) plus its handshake. A publisher nobody subscribes to sends after it, and says so once.
   */
  awaitSubscribersMs: 2_000,
} as const
