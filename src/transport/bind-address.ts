import { createConnection } from 'node:net'
import type { Socket } from 'zeromq'
import { AddressInUse } from '../errors.js'

/**
 * Binds `socket` to `address` and returns the address actually bound (a `tcp://host:*` bind gets its port).
 * A taken address becomes {@link AddressInUse}, with ZeroMQ's EADDRINUSE as the cause.
 *
 * libzmq binds an `ipc://` path by unlinking whatever file is there, which would silently steal the address
 * of a running process; so an ipc path is probed first, and one that accepts connections counts as taken.
 */
export async function bindAddress(socket: Socket, address: string): Promise<string> {
  if (address.startsWith('ipc://') && (await acceptsConnections(address.slice('ipc://'.length)))) {
    throw new AddressInUse(address)
  }
  try {
    await socket.bind(address)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new AddressInUse(address, { cause: error })
    }
    throw error
  }
  return socket.lastEndpoint ?? address
}

/** True when a process listens on the Unix socket at `path` (a stale file refuses the connection). */
function acceptsConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path })
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}
