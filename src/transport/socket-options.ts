import type { CurveConfig, FedmsgConfig } from '../config/config-types.js'
import { ConfigInvalid } from '../errors.js'

/**
 * Every ZeroMQ socket option fedmsg sets, in one place. Each field names its libzmq option; zeromq.js applies
 * constructor options before the first bind/connect, which is when most of them take effect.
 */
export interface SocketTuning {
  /** ZMQ_SNDHWM / ZMQ_RCVHWM: most messages queued per peer. 0 would mean unbounded, which we never use. */
  readonly highWaterMark: number
  /** ZMQ_LINGER: how long close() keeps flushing queued messages, in ms. */
  readonly lingerMs: number
  /** ZMQ_RECONNECT_IVL: wait between reconnect attempts of connecting sockets, in ms. */
  readonly reconnectIvlMs: number
  /** ZMQ_MAXMSGSIZE: libzmq drops the connection of a peer that sends a larger frame, before we parse it. */
  readonly maxMessageBytes: number
}

/** The tuning a configuration asks for. */
export function tuningFromConfig(config: FedmsgConfig): SocketTuning {
  return {
    highWaterMark: config.high_water_mark,
    lingerMs: config.linger_ms,
    reconnectIvlMs: config.reconnect_ivl_ms,
    maxMessageBytes: config.max_message_bytes,
  }
}

// zeromq.js seals each socket class to the options of its type: a PUB socket has no ZMQ_RCVHWM, a SUB socket
// no ZMQ_SNDHWM. Hence one builder per direction, combined per socket type.

/** Options every socket gets: linger and the reconnect interval. */
function commonOptions(tuning: SocketTuning) {
  return {
    linger: tuning.lingerMs, // ZMQ_LINGER
    reconnectInterval: tuning.reconnectIvlMs, // ZMQ_RECONNECT_IVL
  }
}

/** Options of a send-only socket (PUB). */
export function sendingSocketOptions(tuning: SocketTuning) {
  return {
    ...commonOptions(tuning),
    sendHighWaterMark: tuning.highWaterMark, // ZMQ_SNDHWM
  }
}

/** Options of a receive-only socket (SUB) reading untrusted frames: libzmq itself refuses oversize frames. */
export function receivingSocketOptions(tuning: SocketTuning) {
  return {
    ...commonOptions(tuning),
    receiveHighWaterMark: tuning.highWaterMark, // ZMQ_RCVHWM
    maxMessageSize: tuning.maxMessageBytes, // ZMQ_MAXMSGSIZE
  }
}

/** Options of a socket that both sends and receives (DEALER, ROUTER). */
export function duplexSocketOptions(tuning: SocketTuning) {
  return {
    ...receivingSocketOptions(tuning),
    sendHighWaterMark: tuning.highWaterMark, // ZMQ_SNDHWM
  }
}

/**
 * What `publish()` does when a socket cannot take a message: `wait` blocks the send until there is room
 * (ZMQ_SNDTIMEO -1), `throw` fails at once (ZMQ_SNDTIMEO 0) so the caller sees EAGAIN.
 */
export function sendTimeoutFor(mode: FedmsgConfig['hwm_mode']): number {
  return mode === 'wait' ? -1 : 0 // ZMQ_SNDTIMEO
}

/** The ZAP domain fedmsg's CURVE servers authenticate clients in (ZMQ RFC 27). */
export const ZAP_DOMAIN = 'fedmsg'

/** CURVE options of a bound (server) socket; empty when the config has no `curve.server`. */
export function curveServerOptions(curve: CurveConfig | undefined) {
  if (curve === undefined) return {}
  return {
    curveServer: true, // ZMQ_CURVE_SERVER
    curveSecretKey: curve.secret_key, // ZMQ_CURVE_SECRETKEY
    zapDomain: ZAP_DOMAIN, // ZMQ_ZAP_DOMAIN
  }
}

/** CURVE options of a connecting (client) socket; empty when the config has no `curve.client`. */
export function curveClientOptions(curve: CurveConfig | undefined) {
  if (curve === undefined) return {}
  if (curve.server_key === undefined) {
    throw new ConfigInvalid(
      'curve.client needs server_key: set it to the Z85 public key of the servers it connects to',
      { key: 'curve.client.server_key' },
    )
  }
  return {
    curveServerKey: curve.server_key, // ZMQ_CURVE_SERVERKEY
    curvePublicKey: curve.public_key, // ZMQ_CURVE_PUBLICKEY
    curveSecretKey: curve.secret_key, // ZMQ_CURVE_SECRETKEY
  }
}
