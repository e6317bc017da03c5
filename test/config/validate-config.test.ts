import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIG_FILE_SCHEMA, CONFIG_SCHEMA } from '../../src/config/config-schema.js'
import { DEFAULT_CONFIG } from '../../src/config/config-types.js'
import { SECRET_BEARING_KEYS } from '../../src/config/config-value-preview.js'
import { devDefaults } from '../../src/config/dev-defaults.js'
import { loadConfig } from '../../src/config/load-config.js'
import { ConfigInvalid } from '../../src/errors.js'
import { makeConfigTree, type ConfigTree } from './config-tree.js'

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
})
afterEach(() => tree.remove())

const Z85_KEY = 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7'

/** The ConfigInvalid that loading `./fedmsg.d/10-bus.json` with `content` throws. */
function errorFor(content: unknown): ConfigInvalid {
  tree.write('fedmsg.d/10-bus.json', content)
  try {
    loadConfig({ cwd: tree.root, env: {}, searchDirs: ['fedmsg.d'] })
  } catch (error) {
    if (error instanceof ConfigInvalid) return error
    throw error
  }
  throw new Error('the config loaded')
}

interface SchemaCase {
  name: string
  content: unknown
  key: string | undefined
  /** What the message says after "fedmsg.d/10-bus.json: KEY: ". */
  problem: string
}

const SCHEMA_CASES: SchemaCase[] = [
  {
    name: 'wrong type: a number given as a string',
    content: { max_age_seconds: '300' },
    key: 'max_age_seconds',
    problem: 'must be integer >= 1 (got "300")',
  },
  {
    name: 'wrong type: a string where a list is expected',
    content: { trust: 'root.pem' },
    key: 'trust',
    problem: 'must be array (got "root.pem")',
  },
  {
    name: 'wrong type: a fraction where an integer is expected',
    content: { linger_ms: 1.5 },
    key: 'linger_ms',
    problem: 'must be integer >= 0 (got 1.5)',
  },
  {
    name: 'wrong type: the file is not an object',
    content: ['max_age_seconds', 300],
    key: undefined,
    problem: 'must be a JSON object (got ["max_age_seconds",300])',
  },
  {
    name: 'unknown top-level key',
    content: { max_age: 300 },
    key: 'max_age',
    problem:
      'unknown key: did you mean "max_age_seconds"? (see docs/configuration.md for the keys)',
  },
  {
    name: 'unknown key, a typo of a known one',
    content: { heartbeat_interval: 1000 },
    key: 'heartbeat_interval',
    problem:
      'unknown key: did you mean "heartbeat_interval_ms"? (see docs/configuration.md for the keys)',
  },
  {
    name: 'unknown key like no known one: no guess',
    content: { colour: 'blue' },
    key: 'colour',
    problem: 'unknown key (see docs/configuration.md for the keys)',
  },
  {
    name: 'unknown key inside a certs entry, the start of a known one',
    content: { certs: { bodhi: { cert: 'a.crt', key: 'a.key', pass: 'x' } } },
    key: 'certs.bodhi.pass',
    problem:
      'unknown key: did you mean "passphrase_file"? (expected one of cert, key, passphrase_file)',
  },
  {
    name: 'missing required key inside a consumer',
    content: { consumers: [{ topic: 'org.fedoraproject.>' }] },
    key: 'consumers[0].module',
    problem: 'is required',
  },
  {
    name: 'bad enum: environment',
    content: { environment: 'production' },
    key: 'environment',
    problem: 'must be one of "dev", "stg", "prod" (got "production")',
  },
  {
    name: 'bad enum: hwm_mode',
    content: { hwm_mode: 'drop' },
    key: 'hwm_mode',
    problem: 'must be one of "wait", "throw" (got "drop")',
  },
  {
    name: 'bad enum: log_level',
    content: { log_level: 'verbose' },
    key: 'log_level',
    problem: 'must be one of "trace", "debug", "info", "warn", "error", "silent" (got "verbose")',
  },
  {
    name: 'bad address: unknown transport',
    content: { endpoints: { bodhi: ['udp://127.0.0.1:3001'] } },
    key: 'endpoints.bodhi[0]',
    problem:
      'must be a ZeroMQ address tcp://HOST:PORT, ipc://PATH or inproc://NAME (got "udp://127.0.0.1:3001")',
  },
  {
    name: 'bad address: tcp without a port',
    content: { relay_inbound: 'tcp://127.0.0.1' },
    key: 'relay_inbound',
    problem:
      'must be a ZeroMQ address tcp://HOST:PORT, ipc://PATH or inproc://NAME (got "tcp://127.0.0.1")',
  },
  {
    name: 'bad address: metrics_address without a port',
    content: { metrics_address: 'localhost' },
    key: 'metrics_address',
    problem: 'must be HOST:PORT (got "localhost")',
  },
  {
    name: 'empty address list',
    content: { endpoints: { bodhi: [] } },
    key: 'endpoints.bodhi',
    problem: 'must have at least 1 item (got [])',
  },
  {
    name: 'bad name: endpoint service name with a space',
    content: { endpoints: { 'bad name': ['tcp://127.0.0.1:1'] } },
    key: 'endpoints["bad name"]',
    problem: 'invalid name: must be a service name of [A-Za-z0-9_-]+',
  },
  {
    name: 'bad name: schemas topic pattern with > in the middle',
    content: { schemas: { 'org.>.x': 'x.json' } },
    key: 'schemas["org.>.x"]',
    problem:
      'invalid name: must be a topic pattern: dot-separated tokens or *, optionally ending in >',
  },
  {
    name: 'bad pattern: topic_prefix with an empty token',
    content: { topic_prefix: 'org..fedoraproject' },
    key: 'topic_prefix',
    problem:
      'must be dot-separated tokens of [A-Za-z0-9_-]+, at most 255 characters (got "org..fedoraproject")',
  },
  {
    name: 'too long: topic_prefix over 255 characters',
    content: { topic_prefix: 'a'.repeat(256) },
    key: 'topic_prefix',
    problem: `must be dot-separated tokens of [A-Za-z0-9_-]+, at most 255 characters (got "${'a'.repeat(56)}...)`,
  },
  {
    name: 'bad pattern: Z85 key of the wrong length, not shown (curve holds secrets)',
    content: { curve: { server: { public_key: Z85_KEY.slice(1), secret_key: Z85_KEY } } },
    key: 'curve.server.public_key',
    problem: 'must be a CURVE key of 40 Z85 characters (got a string of 39 characters, not shown)',
  },
  {
    name: 'negative number',
    content: { high_water_mark: -5 },
    key: 'high_water_mark',
    problem: 'must be integer >= 1 (got -5)',
  },
  {
    name: 'negative number where 0 is allowed',
    content: { clock_skew_seconds: -1 },
    key: 'clock_skew_seconds',
    problem: 'must be integer >= 0 (got -1)',
  },
  {
    name: 'zero where a positive number is required',
    content: { max_message_bytes: 0 },
    key: 'max_message_bytes',
    problem: 'must be integer >= 1 (got 0)',
  },
  {
    name: 'zero consumer timeout',
    content: { consumers: [{ module: 'c.js', timeout_ms: 0 }] },
    key: 'consumers[0].timeout_ms',
    problem: 'must be integer >= 1 (got 0)',
  },
  {
    name: 'consumer topic of the wrong type',
    content: { consumers: [{ module: 'c.js', topic: 5 }] },
    key: 'consumers[0].topic',
    problem: 'must be a topic pattern or a non-empty array of them (got 5)',
  },
]

describe('every schema error names the file, the key and what was expected', () => {
  it.each(SCHEMA_CASES)('$name → $key', ({ content, key, problem }) => {
    const error = errorFor(content)
    expect(error.code).toBe('ERR_FEDMSG_CONFIG_INVALID')
    expect(error.file).toBe(tree.path('fedmsg.d/10-bus.json'))
    expect(error.key).toBe(key)
    expect(error.message).toBe(`fedmsg.d/10-bus.json: ${key ?? '(top level)'}: ${problem}`)
  })

  it('each file is validated on its own: the error names the faulty one, not the merge', () => {
    tree.write('fedmsg.d/05-ok.json', { max_age_seconds: 10 })
    const error = errorFor({ environment: 'nope' })
    expect(error.file).toBe(tree.path('fedmsg.d/10-bus.json'))
  })

  it('gap_fill.url: an http(s) URL without credentials (a hub logs it)', () => {
    for (const url of ['http://fedmsg:hunter2@store:8080', 'ftp://store', 'store:8080']) {
      const error = errorFor({ gap_fill: { url } })
      expect([error.code, error.key]).toEqual(['ERR_FEDMSG_CONFIG_INVALID', 'gap_fill.url'])
      expect(error.message).not.toContain('hunter2')
    }
    const file = tree.write('fedmsg.d/10-bus.json', { gap_fill: { url: 'https://store:8080/' } })
    expect(
      loadConfig({ cwd: tree.path('.'), env: {}, searchDirs: [], configPath: file }).config
        .gap_fill,
    ).toEqual({ url: 'https://store:8080/' })
  })

  it('a file outside cwd is named by its absolute path', () => {
    const file = tree.write('elsewhere/x.json', { hwm_mode: 'drop' })
    expect(() =>
      loadConfig({ cwd: tree.path('work'), env: {}, searchDirs: [], configPath: file }),
    ).toThrow(`${file}: hwm_mode: must be one of`)
  })

  it('options are validated too, named "options"', () => {
    expect(() =>
      loadConfig({ env: {}, searchDirs: [], overrides: { max_age_seconds: -1 } }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_CONFIG_INVALID',
        key: 'max_age_seconds',
        file: undefined,
        message: 'options: max_age_seconds: must be integer >= 1 (got -1)',
      }),
    )
  })

  it('the merged result is validated: defaults missing a required key are refused', () => {
    const partial: Record<string, unknown> = { ...DEFAULT_CONFIG }
    delete partial.log_level
    expect(() =>
      loadConfig({
        env: {},
        searchDirs: [],
        defaults: partial as unknown as typeof DEFAULT_CONFIG,
      }),
    ).toThrow('merged configuration: log_level: is required')
  })
})

describe('issue 19.5: values of secret-bearing keys are never shown', () => {
  // A secret key one character off: `~` is not in the Z85 alphabet.
  const secret = `${Z85_KEY.slice(0, 39)}~`
  const cases = [
    {
      name: 'a secret key with a character outside Z85',
      content: { curve: { server: { public_key: Z85_KEY, secret_key: secret } } },
      key: 'curve.server.secret_key',
      problem:
        'must be a CURVE key of 40 Z85 characters (got a string of 40 characters, not shown)',
    },
    {
      name: 'a secret key given as a number',
      content: {
        curve: { client: { public_key: Z85_KEY, secret_key: 12345, server_key: Z85_KEY } },
      },
      key: 'curve.client.secret_key',
      problem: 'must be a CURVE key of 40 Z85 characters (got a number, not shown)',
    },
    {
      name: 'a CURVE role given as a list of keys',
      content: { curve: { server: [Z85_KEY, secret] } },
      key: 'curve.server',
      problem: 'must be a JSON object (got an array, not shown)',
    },
    {
      name: 'a whole file that is a list holding a CURVE role',
      content: [{ curve: { server: { public_key: Z85_KEY, secret_key: secret } } }],
      key: undefined,
      problem: 'must be a JSON object (got [{"curve":(not shown)}])',
    },
  ]
  it.each(cases)('$name → $key', ({ content, key, problem }) => {
    const error = errorFor(content)
    expect(error.key).toBe(key)
    expect(error.message).toBe(`fedmsg.d/10-bus.json: ${key ?? '(top level)'}: ${problem}`)
    expect(error.message).not.toContain(secret.slice(0, 6))
  })
})

describe('every secret-bearing key of the schema is withheld from messages', () => {
  /** Property names that say "secret"; `passphrase_file` is a path, not a passphrase. */
  const SECRET_NAME = /secret|passphrase(?!_file)|password|token|private/i
  /** Keys whose values may hold credentials under another name: `store.db`, a URL with its password. */
  const CARRIES_CREDENTIALS = new Set(['store', 'gap_fill'])

  function propertyNames(node: unknown): string[] {
    if (typeof node !== 'object' || node === null) return []
    const { properties, additionalProperties, items } = node as Record<string, unknown>
    const own = Object.entries((properties ?? {}) as Record<string, unknown>)
    return [
      ...own.flatMap(([name, child]) => [name, ...propertyNames(child)]),
      ...propertyNames(additionalProperties),
      ...propertyNames(items),
    ]
  }

  it.each(Object.entries(CONFIG_SCHEMA.properties))('%s', (key, node) => {
    const secrets = [key, ...propertyNames(node)].filter((name) => SECRET_NAME.test(name))
    if (secrets.length > 0 || CARRIES_CREDENTIALS.has(key))
      expect(SECRET_BEARING_KEYS.has(key)).toBe(true)
    else expect(SECRET_BEARING_KEYS.has(key)).toBe(false)
  })
})

describe('issue 19.9: values are shown without recursion, however deep', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
  it.each([
    [
      'a deep value',
      `{"max_age_seconds": ${deep(1_000_000)}}`,
      'max_age_seconds',
      'must be integer >= 1 (got [[[[[...]]]]])',
    ],
    ['a deep document', deep(1_000_000), undefined, 'must be a JSON object (got [[[[[...]]]]])'],
    [
      'a deep list item',
      `{"trust": [${deep(1_000_000)}]}`,
      'trust[0]',
      'must be a non-empty string (got [[[[[...]]]]])',
    ],
  ])('%s → ConfigInvalid, its shape shown a few levels deep', (_, text, key, problem) => {
    const error = errorFor(text)
    expect(error).toBeInstanceOf(ConfigInvalid)
    expect(error.key).toBe(key)
    expect(error.message).toBe(`fedmsg.d/10-bus.json: ${key ?? '(top level)'}: ${problem}`)
  })

  it('overrides nested a million levels deep → ConfigInvalid naming the options', () => {
    let deep: unknown = []
    for (let level = 0; level < 1_000_000; level++) deep = [deep]
    expect(() =>
      loadConfig({ env: {}, searchDirs: [], overrides: { max_age_seconds: deep as number } }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_CONFIG_INVALID',
        message: 'options: nested too deeply to be a configuration',
      }),
    )
  })

  it('a long list is cut short', () => {
    const error = errorFor({ max_age_seconds: Array.from({ length: 100_000 }, (_, i) => i) })
    expect(error.message).toMatch(/\(got \[0,1,2,3,.*\.\.\.\)$/)
    expect(error.message.length).toBeLessThan(200)
  })
})

describe('invalid JSON names the file, the line and the column', () => {
  const cases = [
    { name: 'trailing comma', text: '{\n  "max_age_seconds": 300,\n}\n', at: 'line 3 column 1' },
    { name: 'missing colon', text: '{\n  "a" 1\n}', at: 'line 2 column 7' },
    { name: 'truncated document', text: '{\n  "a": [1,', at: 'line 2 column 11' },
    { name: 'empty file', text: '', at: 'line 1 column 1' },
    { name: 'comments are not JSON', text: '// bus\n{}', at: 'line 1 column 1' },
    {
      name: 'bad token near the start of a long document',
      text: '{"a": x, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": 1}',
      at: 'line 1 column 7',
    },
    {
      name: 'bad token in the middle of a long document',
      text: '{\n  "max_age_seconds": 300,\n  "linger_ms": nope,\n  "log_level": "info"\n}\n',
      at: 'line 3 column 17',
    },
    {
      name: 'bad token near the end of a long document',
      text: '{\n  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": 1,\n  "a": x}',
      at: 'line 3 column 8',
    },
    { name: 'control character in a string', text: '{\n"a": "x\ty"}', at: 'line 2 column 8' },
  ]
  it.each(cases)('$name → $at', ({ text, at }) => {
    const error = errorFor(text)
    expect(error.code).toBe('ERR_FEDMSG_CONFIG_INVALID')
    expect(error.file).toBe(tree.path('fedmsg.d/10-bus.json'))
    expect(error.message).toMatch(new RegExp(`^fedmsg\\.d/10-bus\\.json: invalid JSON at ${at}: `))
    expect(error.cause).toBeInstanceOf(SyntaxError)
  })

  it("the reason is V8's, without its location suffix", () => {
    expect(errorFor('{\n  "max_age_seconds": 300,\n  "linger_ms": nope\n}').message).toBe(
      "fedmsg.d/10-bus.json: invalid JSON at line 3 column 17: Unexpected token 'o'",
    )
  })

  it('a UTF-8 byte order mark is accepted', () => {
    tree.write('fedmsg.d/10-bus.json', '\uFEFF{"max_age_seconds": 42}')
    const { config } = loadConfig({ cwd: tree.root, env: {}, searchDirs: ['fedmsg.d'] })
    expect(config.max_age_seconds).toBe(42)
  })
})

describe('CONFIG_SCHEMA', () => {
  const ajv = new Ajv2020({ allowUnionTypes: true, strict: true })

  it('accepts DEFAULT_CONFIG and devDefaults(), and a file schema accepts {}', () => {
    expect(ajv.validate(CONFIG_SCHEMA, DEFAULT_CONFIG)).toBe(true)
    expect(ajv.validate(CONFIG_SCHEMA, devDefaults('/x/certs/dev'))).toBe(true)
    expect(ajv.validate(CONFIG_FILE_SCHEMA, {})).toBe(true)
    expect(ajv.validate(CONFIG_SCHEMA, {})).toBe(false)
  })

  it.each([
    'tcp://127.0.0.1:3001',
    'tcp://*:3001',
    'tcp://[::1]:3001',
    'tcp://bus.example.org:*',
    'ipc:///run/fedmsg/bodhi.sock',
    'inproc://bodhi',
  ])('accepts the ZeroMQ address %s', (address) => {
    expect(ajv.validate(CONFIG_FILE_SCHEMA, { relay_inbound: address })).toBe(true)
  })

  it('accepts every optional key at once', () => {
    const full = {
      ...devDefaults('/x/certs/dev'),
      active: true,
      routing_policy: '/etc/fedmsg/policy.json',
      schemas: { 'org.fedoraproject.*.bodhi.>': '/s.json', '>': '/all.json' },
      consumers: [{ module: '/c.js', topic: ['a.b', 'a.*.c'], timeout_ms: 5, queue_size: 10 }],
      metrics_address: '127.0.0.1:9090',
      curve: {
        server: { public_key: Z85_KEY, secret_key: Z85_KEY, allowed_clients: [Z85_KEY] },
        client: { public_key: Z85_KEY, secret_key: Z85_KEY, server_key: Z85_KEY },
      },
    }
    expect(ajv.validate(CONFIG_SCHEMA, full)).toBe(true)
  })
})
