import { bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

/**
 * `fedmsg logger` (shell scripts, cron jobs): the logged line itself, or a note that a JSON body was logged
 * (`--json-input`), with the certificate that signed it.
 */
export const loggerProcessor: MessageProcessor = {
  name: 'logger',
  services: ['logger'],
  icon: 'https://apps.fedoraproject.org/img/icons/terminal.png',
  summarize(message: SummaryInput) {
    const log = bodyText(message.body, 'log')
    const text = log ?? 'logged a custom JSON message'
    return { subtitle: `${text} (${message.signer.name})` }
  },
}
