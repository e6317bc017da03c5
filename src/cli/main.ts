import { Command, CommanderError } from 'commander'
import { FedmsgError } from '../errors.js'
import { EXIT } from './exit-codes.js'
import { registerConfigCommand } from './commands/config.js'
import { registerCaCommand } from './commands/ca.js'
import { registerSignCommand } from './commands/sign.js'
import { registerVerifyCommand } from './commands/verify.js'
import { registerHubCommand } from './commands/hub.js'
import { registerRelayCommand } from './commands/relay.js'
import { registerLoggerCommand } from './commands/logger.js'
import { registerTailCommand } from './commands/tail.js'
import { registerDemoCommand } from './commands/demo.js'

/** Each command module adds its subcommand to the program. */
type Register = (program: Command) => void

const COMMANDS: readonly Register[] = [
  registerConfigCommand,
  registerCaCommand,
  registerSignCommand,
  registerVerifyCommand,
  registerHubCommand,
  registerRelayCommand,
  registerLoggerCommand,
  registerTailCommand,
  registerDemoCommand,
]

/** Builds the `fedmsg` program with every subcommand. */
export function buildProgram(): Command {
  const program = new Command('fedmsg')
    .description('Signed, brokerless ZeroMQ message bus for infrastructure services')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
  for (const register of COMMANDS) register(program)
  return program
}

/** Runs the CLI and returns the process exit code; never calls process.exit, so output is flushed. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync([...argv])
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    if (error instanceof FedmsgError) {
      process.stderr.write(`fedmsg: ${error.message} [${error.code}]\n`)
      return EXIT.usage
    }
    throw error
  }
}
