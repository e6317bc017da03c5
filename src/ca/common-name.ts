import { UsageError } from '../errors.js'
import { x509 } from '../crypto/x509.js'

/** RFC 5280 Appendix A: ub-common-name. */
const MAX_CN_LENGTH = 64

// C0, DEL and C1 controls: they would reach terminals and logs through `ca list` and verifier messages.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Returns `cn` if it can be a subject common name, else throws `UsageError`. The value is used as it is,
 * never parsed: `x\`, `"a,b"` and `#0c03616263` are names like any other.
 */
export function checkedCommonName(cn: string, flag = '--cn'): string {
  if (cn.length === 0) throw new UsageError(`${flag} must not be empty: name the CA`)
  if ([...cn].length > MAX_CN_LENGTH) {
    throw new UsageError(
      `${flag} is longer than ${MAX_CN_LENGTH} characters (RFC 5280 ub-common-name)`,
    )
  }
  if (CONTROL.test(cn)) throw new UsageError(`${flag} must not contain control characters`)
  if (LONE_SURROGATE.test(cn)) throw new UsageError(`${flag} is not valid Unicode`)
  return cn
}

/**
 * A Name of one RDN holding CN = `cn`, built from the value (PrintableString when its alphabet allows, else
 * UTF8String, RFC 5280 §4.1.2.6): never from a DN string, where `\`, `"`, `,` and a leading `#` mean something.
 */
export function nameOf(cn: string): x509.Name {
  const value = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn)
    ? { printableString: cn }
    : { utf8String: cn }
  return new x509.Name([{ CN: [value] }])
}
