/** Exit codes of every `fedmsg` command (README, "CLI"). */
export const EXIT = {
  ok: 0,
  /** At least one input was rejected (verify), or the command's job failed. */
  rejected: 1,
  /** Usage or configuration error: nothing was done. */
  usage: 2,
} as const
