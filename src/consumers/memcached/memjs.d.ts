// The part of memjs (which ships no types) that the memcached sink uses.
declare module 'memjs' {
  export interface ClientOptions {
    /** Tries per operation; memjs treats 0 as its default (2). */
    retries?: number
    /** Seconds between tries. */
    retry_delay?: number
    /** Seconds a request may wait for its response. */
    timeout?: number
    /** Seconds a connection may take. */
    conntimeout?: number
    keepAlive?: boolean
    /** memjs writes its own error lines here; its default is console (stdout). */
    logger?: { log(...args: unknown[]): void }
  }
  export class Client {
    static create(servers: string, options?: ClientOptions): Client
    set(key: string, value: string, options?: { expires?: number }): Promise<boolean>
    get(key: string): Promise<{ value: Buffer | null; flags: Buffer | null }>
    close(): void
  }
  const memjs: { Client: typeof Client }
  export default memjs
}
