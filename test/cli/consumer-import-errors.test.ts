/**
 * Issue 11, item 6: a consumer module that cannot be imported is a ConfigInvalid that shows the underlying
 * error: the file and line of a syntax error, the package that is missing, the line that threw.
 *
 *   consumers[0].module --import()--> SyntaxError | ERR_MODULE_NOT_FOUND | TypeError --> ConfigInvalid
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, runCli } from './cli-process.js'

const cases = [
  {
    name: 'a syntax error (.mjs)',
    file: 'syntax.mjs',
    source: "export default {\n  topic: 'a.b',\n  consume(m) { return m +* },\n}\n",
    shows: (path: string) => ["SyntaxError: Unexpected token '*'", `${path}:3`],
  },
  {
    name: 'a syntax error (.js)',
    file: 'syntax.js',
    source: "export default {\n  topic: 'a.b'\n  consume() {},\n}\n",
    shows: (path: string) => ['SyntaxError', `${path}:3`],
  },
  {
    name: 'a missing package',
    file: 'missing-package.mjs',
    source:
      "import pad from 'left-pad-not-installed'\nexport default { topic: 'a', consume: pad }\n",
    shows: () => ["Cannot find package 'left-pad-not-installed'", 'npm install'],
  },
  {
    name: 'a missing relative module',
    file: 'missing-module.mjs',
    source: "import './helpers/gone.mjs'\nexport default { topic: 'a', consume() {} }\n",
    shows: () => ['helpers/gone.mjs'],
  },
  {
    name: 'a throw at load time',
    file: 'throws.mjs',
    source:
      "const settings = undefined\nsettings.read()\nexport default { topic: 'a', consume() {} }\n",
    shows: (path: string) => ['TypeError: Cannot read properties of undefined', `${path}:2`],
  },
  {
    name: 'a missing named export',
    file: 'bad-import.mjs',
    source:
      "import { nope } from './syntax-free.mjs'\nexport default { topic: 'a', consume: nope }\n",
    shows: (path: string) => ["does not provide an export named 'nope'", `${path}:1`],
  },
]

// Under vitest, import() of a module goes through vite's transform, whose errors differ from Node's: so
// the hub runs as the real CLI, where an operator meets these errors.
describe('fedmsg hub with a consumer module that cannot be imported', () => {
  let bus: CliBus
  beforeAll(() => {
    assertBuilt('hub')
    bus = makeCliBus([])
    mkdirSync(join(bus.dir, 'consumers'))
    writeFileSync(join(bus.dir, 'consumers/syntax-free.mjs'), 'export const fine = 1\n')
  })
  afterAll(() => bus.cleanup())

  it.each(cases)('$name: exit 2, ConfigInvalid shows the cause and where', async (c) => {
    const path = join(bus.dir, 'consumers', c.file)
    writeFileSync(path, c.source)
    const file = bus.writeConfig(`consumer-${c.file}`, {
      relay_outbound: 'tcp://127.0.0.1:1',
      consumers: [{ module: `./consumers/${c.file}` }],
    })
    const hub = await runCli(['hub', '--config', file], { cwd: bus.dir })
    expect(hub.code).toBe(2)
    expect(hub.stderr).toContain(`cannot import consumer module ${path}`)
    expect(hub.stderr).toContain('[ERR_FEDMSG_CONFIG_INVALID]')
    for (const part of c.shows(path)) expect(hub.stderr).toContain(part)
  })
})
