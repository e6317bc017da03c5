/** The closing line of `fedmsg logger --json-input` (issue 11 item 9): counts, then refusals by reason. */
import { describe, expect, it } from 'vitest'
import { Closed, RelayRejected, RelayTimeout } from '../../src/errors.js'
import { SendTally } from '../../src/cli/send-summary.js'

const TOPIC = 'org.fedoraproject.dev.logger.cron'

describe('SendTally', () => {
  it('nothing failed: sent, acknowledged, 0 refused and nothing more', () => {
    const tally = new SendTally()
    tally.sent()
    tally.acknowledged()
    expect(tally.summary()).toBe('fedmsg logger: 1 sent, 1 acknowledged, 0 refused')
  })

  it('refusals by reason in name order, then timeouts, other failures and skipped lines', () => {
    const tally = new SendTally()
    const failures = [
      new RelayRejected(TOPIC, 'stale'),
      new RelayRejected(TOPIC, 'policy_denied'),
      new RelayRejected(TOPIC, 'stale'),
      new RelayTimeout(TOPIC, 1000, 'tcp://127.0.0.1:2003'),
      new Closed('closed'),
    ]
    for (const error of failures) {
      tally.sent()
      tally.failed(error)
    }
    tally.skipped()
    tally.skipped()
    expect(tally.summary()).toBe(
      'fedmsg logger: 5 sent, 0 acknowledged, 3 refused (policy_denied 1, stale 2), ' +
        '1 not acknowledged in time, 1 failed; 2 lines not sent (not a JSON object)',
    )
  })
})
