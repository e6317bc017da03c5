import type { FedmsgConfig } from '../config/config-types.js'
import { ConfigInvalid } from '../errors.js'
import { openPubChannel, type PublishChannel, type SubscriberWait } from './publish-channel.js'
import { DEFAULT_ACK_TIMEOUT_MS, openRelayChannel } from './relay-channel.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import { allowCurveClients } from '../transport/zap-handler.js'

/**
 * Picks a publisher's path: bind `bind ?? endpoints[name]` with PUB, unless the config says `active` (the
 * service cannot bind, like a CLI) or there is nothing to bind; then connect to `relay_inbound`.
 */
export async function openPublishChannel(
  config: FedmsgConfig,
  options: {
    name: string
    bind?: readonly string[]
    ackTimeoutMs?: number
    subscriberWait: SubscriberWait
  },
): Promise<PublishChannel> {
  const tuning = tuningFromConfig(config)
  const addresses =
    options.bind ?? (config.active === true ? [] : (config.endpoints[options.name] ?? []))
  if (addresses.length === 0) {
    if (config.relay_inbound === undefined) {
      throw new ConfigInvalid(
        `service "${options.name}" has no endpoint to bind and no relay_inbound to connect to: set one`,
        { key: 'relay_inbound' },
      )
    }
    return openRelayChannel(
      config.relay_inbound,
      tuning,
      config.hwm_mode,
      config.curve?.client,
      options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS,
    )
  }
  const server = config.curve?.server
  const lease =
    server?.allowed_clients === undefined
      ? undefined
      : await allowCurveClients(server.allowed_clients)
  try {
    const channel = await openPubChannel(
      addresses,
      tuning,
      config.hwm_mode,
      server,
      options.subscriberWait,
    )
    return {
      ...channel,
      get depth() {
        return channel.depth
      },
      close() {
        channel.close()
        lease?.release()
      },
    }
  } catch (error) {
    lease?.release()
    throw error
  }
}
