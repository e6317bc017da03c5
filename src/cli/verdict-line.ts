/** What a verdict line needs of a verifier's answer: fedmsg/1's VerifyResult and the legacy one both fit. */
export type VerdictLineInput =
  | {
      readonly ok: true
      readonly message: {
        readonly topic: string
        readonly signer: { readonly name: string }
        /** Legacy messages may have none: the line then has no msg_id. */
        readonly msgId: string | undefined
      }
    }
  | { readonly ok: false; readonly reason: string; readonly detail: string }

/** One line of `fedmsg verify` output, the same shape for fedmsg/1 and `--legacy` input (README, "verify"). */
export function verdictLine(result: VerdictLineInput): string {
  return JSON.stringify(
    result.ok
      ? {
          ok: true,
          topic: result.message.topic,
          signer: result.message.signer.name,
          msg_id: result.message.msgId,
        }
      : { ok: false, reason: result.reason, detail: result.detail },
  )
}
