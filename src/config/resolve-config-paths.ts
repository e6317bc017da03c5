import { resolve } from 'node:path'

type Values = Record<string, unknown>

/**
 * A copy of one validated config file's values with every file path made absolute against `baseDir`, the
 * directory of the file that named it: `trust`, `crl`, `certs.*.cert|key|passphrase_file`, `routing_policy`,
 * `state_dir`, `schemas.*`, `consumers[].module` and `summary_processors[].module`. After the merge, no one can tell any more which file a relative path
 * was relative to, so this runs per file, before merging.
 */
export function resolveConfigPaths(values: Values, baseDir: string): Values {
  const at = (path: string) => resolve(baseDir, path)
  const out: Values = { ...values }
  if (Array.isArray(values.trust)) out.trust = values.trust.map(at)
  if (Array.isArray(values.crl)) out.crl = values.crl.map(at)
  if (typeof values.routing_policy === 'string') out.routing_policy = at(values.routing_policy)
  if (typeof values.state_dir === 'string') out.state_dir = at(values.state_dir)
  if (isRecord(values.certs)) {
    out.certs = mapEntries(values.certs, (entry) => {
      const cert = entry as Values
      const resolved: Values = {
        ...cert,
        cert: at(cert.cert as string),
        key: at(cert.key as string),
      }
      if (typeof cert.passphrase_file === 'string') {
        resolved.passphrase_file = at(cert.passphrase_file)
      }
      return resolved
    })
  }
  if (isRecord(values.schemas)) {
    out.schemas = mapEntries(values.schemas, (file) => at(file as string))
  }
  if (Array.isArray(values.consumers)) {
    out.consumers = values.consumers.map((consumer: Values) => ({
      ...consumer,
      module: at(consumer.module as string),
    }))
  }
  if (Array.isArray(values.summary_processors)) {
    out.summary_processors = values.summary_processors.map((entry: Values) => ({
      ...entry,
      module: at(entry.module as string),
    }))
  }
  return out
}

function mapEntries(record: Values, map: (value: unknown) => unknown): Values {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]))
}

function isRecord(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
