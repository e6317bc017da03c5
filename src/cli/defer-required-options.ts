import type { Command, Option } from 'commander'

/**
 * Makes `command` and every subcommand report an unknown option before a missing required one.
 *
 * commander checks required options before unknown ones, so `fedmsg logger --tpoic x --message m` would say
 * "required option '--topic <topic>' not specified" when the user typed it, misspelt. Here each required
 * option is made optional for commander's parse and checked in a `preAction` hook instead, which commander
 * runs after its unknown-option check, with commander's own message and exit path.
 */
export function deferRequiredOptions(command: Command): void {
  const required = command.options.filter((option) => option.mandatory)
  for (const option of required) option.makeOptionMandatory(false)
  if (required.length > 0) {
    // The first argument is the command the hook is on (the options' owner), also for a subcommand's action.
    command.hook('preAction', (owner) => assertPresent(owner, required))
  }
  for (const subcommand of command.commands) deferRequiredOptions(subcommand)
}

function assertPresent(command: Command, required: readonly Option[]): void {
  for (const option of required) {
    if (command.getOptionValue(option.attributeName()) === undefined) {
      command.error(`error: required option '${option.flags}' not specified`, {
        code: 'commander.missingMandatoryOptionValue',
      })
    }
  }
}
