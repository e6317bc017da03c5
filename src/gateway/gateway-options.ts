/** Limits and settings of the WebSocket side of `fedmsg gateway` (docs/gateway.md). */
export interface WsGatewayOptions {
  /** Clients at once; one more is closed with 1013 (try again later). */
  readonly maxClients?: number
  /** Largest client frame in bytes; a larger one is closed with 1009 (too big) by `ws`. */
  readonly maxPayloadBytes?: number
  /** Bytes queued for one client before it is dropped with 4000 (slow client). */
  readonly maxBufferedBytes?: number
  /** Client frames per second allowed, averaged over one second; more is closed with 1008. */
  readonly maxClientFramesPerSecond?: number
  /** Patterns one client may hold; more is closed with 1008 (pattern flood). */
  readonly maxPatterns?: number
  /** Messages kept for `history` requests. */
  readonly historySize?: number
  /** `Origin` values accepted; empty accepts any (and requests without one). */
  readonly allowedOrigins?: readonly string[]
  /** When set, clients must send `Authorization: Bearer TOKEN` or `?token=TOKEN`. */
  readonly token?: string
}

export const WS_GATEWAY_DEFAULTS = Object.freeze({
  maxClients: 1000,
  maxPayloadBytes: 4096,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxClientFramesPerSecond: 20,
  maxPatterns: 32,
  historySize: 1000,
  allowedOrigins: [] as readonly string[],
  token: undefined as string | undefined,
})

export type ResolvedWsGatewayOptions = Required<Omit<WsGatewayOptions, 'token'>> & {
  readonly token: string | undefined
}

/** Options with defaults applied; a bad value is a TypeError (programmer misuse). */
export function resolveWsGatewayOptions(options: WsGatewayOptions): ResolvedWsGatewayOptions {
  const resolved: ResolvedWsGatewayOptions = { ...WS_GATEWAY_DEFAULTS, ...dropUndefined(options) }
  for (const key of [
    'maxClients',
    'maxPayloadBytes',
    'maxBufferedBytes',
    'maxClientFramesPerSecond',
    'maxPatterns',
    'historySize',
  ] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new TypeError(`${key} must be a positive integer, got ${resolved[key]}`)
    }
  }
  return resolved
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** WebSocket close codes the gateway uses (RFC 6455 §7.4.1, and 4000 from the private range). */
export const CLOSE_CODES = Object.freeze({
  /** A frame that is not a JSON command of the protocol, or binary. */
  unsupportedData: 1003,
  /** Rate or pattern limit broken. */
  policy: 1008,
  /** Frame over maxPayloadBytes (sent by `ws`). */
  tooBig: 1009,
  /** The gateway is full. */
  tryAgainLater: 1013,
  /** The client did not read fast enough: its queue passed maxBufferedBytes. */
  slowClient: 4000,
})
