import { Command, CommanderError } from 'commander'
import { deferRequiredOptions } from './defer-required-options.js'
import { packageVersion } from '../package-version.js'
import { EXIT } from './exit-codes.js'
import { reportError } from './report-error.js'

/** Each command module adds its subcommand to the program. */
type Register = (program: Command) => void

/**
 * The subcommands in help order, each module loaded only when needed: `fedmsg logger`, which shell scripts run
 * often, then loads neither the CA code nor the verifier.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  config: async () => (await import('./commands/config.js')).registerConfigCommand,
  ca: async () => (await import('./commands/ca.js')).registerCaCommand,
  sign: async () => (await import('./commands/sign.js')).registerSignCommand,
  verify: async () => (await import('./commands/verify.js')).registerVerifyCommand,
  policy: async () => (await import('./commands/policy.js')).registerPolicyCommand,
  hub: async () => (await import('./commands/hub.js')).registerHubCommand,
  relay: async () => (await import('./commands/relay.js')).registerRelayCommand,
  logger: async () => (await import('./commands/logger.js')).registerLoggerCommand,
  tail: async () => (await import('./commands/tail.js')).registerTailCommand,
  demo: async () => (await import('./commands/demo.js')).registerDemoCommand,
  trigger: async () => (await import('./commands/trigger.js')).registerTriggerCommand,
  check: async () => (await import('./commands/check.js')).registerCheckCommand,
  irc: async () => (await import('./commands/irc.js')).registerIrcCommand,
  webhook: async () => (await import('./commands/webhook.js')).registerWebhookCommand,
  memcached: async () => (await import('./commands/memcached.js')).registerMemcachedCommand,
  store: async () => (await import('./commands/store.js')).registerStoreCommand,
  query: async () => (await import('./commands/query.js')).registerQueryCommand,
  api: async () => (await import('./commands/api.js')).registerApiCommand,
  archive: async () => (await import('./commands/archive.js')).registerArchiveCommand,
  gateway: async () => (await import('./commands/gateway.js')).registerGatewayCommand,
  bridge: async () => (await import('./commands/bridge.js')).registerBridgeCommand,
}

/**
 * Builds the `fedmsg` program for `argv` (as in `process.argv`). When `argv` starts with a subcommand, only that
 * one is registered: its help, flags and errors are complete without the others. Otherwise (`fedmsg --help`,
 * `fedmsg help logger`, a misspelt command) every one is, so that help lists them all and commander can
 * suggest the nearest name.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('fedmsg')
    .description('Signed, brokerless ZeroMQ message bus for infrastructure services')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride()
  const named = argv[2]
  const wanted =
    named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS)
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()))
  for (const register of registers) register(program)
  deferRequiredOptions(program)
  return program
}

/**
 * Runs the CLI and returns the process exit code; never calls process.exit, so output is flushed, and never
 * throws: every error ends as one line on stderr (src/cli/report-error.ts), never as a stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv)
    await program.parseAsync([...argv])
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    return reportError(error)
  }
}
