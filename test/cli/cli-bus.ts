/**
 * A temp directory holding copies of the bundled dev CA's public files and some service certificates and
 * keys (keys 0600: git does not keep modes), plus config files that point at them by relative path.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { initHubState } from '../fixtures/state-home.js'
import { REPO } from './cli-process.js'

const DEV_CA = resolve(REPO, 'certs/dev')

export interface CliBus {
  readonly dir: string
  /** Writes `DIR/NAME.json`: trust, crl and certs of the copied services, then `values`; returns its path. */
  writeConfig(name: string, values?: Record<string, unknown>): string
  cleanup(): void
}

export function makeCliBus(services: readonly string[]): CliBus {
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-cli-'))
  mkdirSync(join(dir, 'pki'))
  copyFileSync(join(DEV_CA, 'root-ca.crt'), join(dir, 'pki/root-ca.crt'))
  copyFileSync(join(DEV_CA, 'crl.pem'), join(dir, 'pki/crl.pem'))
  // HOME is the bus's dir: its hubs keep their replay journal in the default ~/.local/state/fedmsg.
  initHubState(join(dir, '.local/state/fedmsg'))
  const certs: Record<string, { cert: string; key: string }> = {}
  for (const name of services) {
    copyFileSync(join(DEV_CA, `services/${name}.crt`), join(dir, `pki/${name}.crt`))
    copyFileSync(join(DEV_CA, `services/${name}.key`), join(dir, `pki/${name}.key`))
    chmodSync(join(dir, `pki/${name}.key`), 0o600)
    certs[name] = { cert: `pki/${name}.crt`, key: `pki/${name}.key` }
  }
  return {
    dir,
    writeConfig(name, values = {}) {
      const file = join(dir, `${name}.json`)
      const config = { trust: ['pki/root-ca.crt'], crl: ['pki/crl.pem'], certs, ...values }
      writeFileSync(file, JSON.stringify(config, null, 2))
      return file
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** `GET url`: the status and body. */
export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url)
  return { status: response.status, body: await response.text() }
}

/** The value of one sample of a Prometheus text body, e.g. `metric(text, 'x_total{reason="replay"}')`. */
export function metric(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `))
  return line === undefined ? undefined : Number(line.slice(sample.length + 1))
}

/**
 * Scrapes `url` (a /metrics endpoint) until `condition` holds for the body, and returns that body; for
 * counters, which have no event of their own. Rejects after `timeoutMs`, showing the last body.
 */
export async function scrapeUntil(
  url: string,
  condition: (text: string) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { body } = await httpGet(url)
    if (condition(body)) return body
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${body}`)
    await delay(20)
  }
}
