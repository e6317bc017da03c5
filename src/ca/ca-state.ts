import { readFileSync } from 'node:fs'
import { CaNotFound } from '../errors.js'
import { writeFileAtomic, type AtomicFs } from './atomic-file.js'
import { KEY_ALGORITHMS, type KeyAlgorithm } from './key-pair.js'
import { REVOCATION_REASONS, type RevocationReason } from './certificate-factory.js'

/** Version tag of `state.json`; a reader refuses any other. */
export const CA_STATE_FORMAT = 'fedmsg-ca/1'

/** A revocation recorded by `fedmsg ca revoke`. */
export interface RevocationRecord {
  readonly at: string
  readonly reason: RevocationReason
}

/** One certificate the CA signed: the serial registry's entry. */
export interface IssuedRecord {
  /** Lower-case hex without leading zeros. */
  readonly serial: string
  readonly cn: string
  readonly kind: 'service' | 'ca'
  /** Algorithm of the certificate's key. */
  readonly alg: KeyAlgorithm
  readonly notBefore: string
  readonly notAfter: string
  readonly issuedAt: string
  readonly revoked?: RevocationRecord
}

/** Everything a CA remembers between commands. */
export interface CaState {
  readonly format: typeof CA_STATE_FORMAT
  /** The number of the last CRL issued; 0 before the first. */
  readonly crlNumber: number
  readonly issued: readonly IssuedRecord[]
}

/** The state of a CA that has issued nothing yet. */
export function emptyCaState(): CaState {
  return { format: CA_STATE_FORMAT, crlNumber: 0, issued: [] }
}

/**
 * A serial as the registry keys it: lower-case hex, no separators, no leading zeros. Accepts the
 * `AB:CD:...` form `openssl x509 -serial` and browsers print.
 *
 * @example
 * normalizeSerial('00:4F:A1') // '4fa1'
 */
export function normalizeSerial(text: string): string {
  const hex = text.replace(/[\s:]/g, '').toLowerCase()
  if (!/^[0-9a-f]+$/.test(hex)) throw new TypeError(`serial ${JSON.stringify(text)} is not hex`)
  return hex.replace(/^0+(?=.)/, '')
}

/** Reads and checks a CA's `state.json`. Throws `CaNotFound` when it is missing or not a fedmsg CA state. */
export function readCaState(path: string): CaState {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CaNotFound(`no CA state at ${path}: create the CA with fedmsg ca init`, {
      cause: error,
    })
  }
  try {
    return checkCaState(JSON.parse(text))
  } catch (error) {
    throw new CaNotFound(
      `${path} is not a ${CA_STATE_FORMAT} state file (${(error as Error).message}): restore it from backup`,
      { cause: error },
    )
  }
}

/** The text of `state.json`. */
export function caStateText(state: CaState): string {
  return `${JSON.stringify(state, null, 2)}\n`
}

/** Replaces `state.json` atomically (mode 0600: it is the CA's audit record). */
export function writeCaState(path: string, state: CaState, fs?: AtomicFs): void {
  writeFileAtomic(path, caStateText(state), { mode: 0o600, fs })
}

/** `state` with one more issued certificate. Throws if the serial is already registered. */
export function withIssued(state: CaState, record: IssuedRecord): CaState {
  if (findIssued(state, record.serial) !== undefined) {
    throw new Error(`serial ${record.serial} is already registered`)
  }
  return { ...state, issued: [...state.issued, record] }
}

/** The registry entry of `serial` (any spelling normalizeSerial accepts). */
export function findIssued(state: CaState, serial: string): IssuedRecord | undefined {
  const wanted = normalizeSerial(serial)
  return state.issued.find((record) => record.serial === wanted)
}

function checkCaState(value: unknown): CaState {
  const state = value as Partial<CaState> | null
  if (state?.format !== CA_STATE_FORMAT) throw new Error('wrong format tag')
  if (!Number.isSafeInteger(state.crlNumber) || (state.crlNumber as number) < 0) {
    throw new Error('crlNumber is not a non-negative integer')
  }
  if (!Array.isArray(state.issued)) throw new Error('issued is not an array')
  const serials = new Set<string>()
  for (const record of state.issued as IssuedRecord[]) {
    checkIssuedRecord(record)
    if (serials.has(record.serial)) throw new Error(`serial ${record.serial} appears twice`)
    serials.add(record.serial)
  }
  return state as CaState
}

function checkIssuedRecord(record: IssuedRecord): void {
  const strings = [
    record?.serial,
    record?.cn,
    record?.notBefore,
    record?.notAfter,
    record?.issuedAt,
  ]
  if (!strings.every((field) => typeof field === 'string')) {
    throw new Error('an issued entry lacks a field')
  }
  if (normalizeSerial(record.serial) !== record.serial)
    throw new Error(`bad serial ${record.serial}`)
  if (record.kind !== 'service' && record.kind !== 'ca') throw new Error(`bad kind ${record.kind}`)
  if (!KEY_ALGORITHMS.includes(record.alg)) throw new Error(`bad alg ${record.alg}`)
  const revoked = record.revoked
  if (
    revoked !== undefined &&
    (typeof revoked.at !== 'string' || !REVOCATION_REASONS.includes(revoked.reason))
  ) {
    throw new Error(`bad revocation of ${record.serial}`)
  }
}
