/**
 * What every black-box attack file sets up and asserts the same way: the es256 test PKI, a private workspace
 * holding its PEM files, one `fedmsg verify` run over a whole table of cases, and the table's check
 * (an accepted case is accepted, every other one is rejected with exactly its reason).
 *
 *   openAttackKit ─> { pki, workspace, files } ─judgeTable(cases, flags)─> verdicts ─expectVerdict─> pass
 */
import { expect } from 'vitest'
import type { RejectReason } from '../../src/errors.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import {
  assertCliBuilt,
  expectReason,
  makeWorkspace,
  verifyLines,
  type Verdict,
  type Workspace,
} from './cli-runner.js'
import { writePkiFiles, type PkiFiles } from './pki-files.js'

export interface AttackKit {
  readonly pki: Pki
  /** Removed by the file's `afterAll(() => workspace?.remove())`. */
  readonly workspace: Workspace
  /** The PKI as the PEM files an operator hands to the CLI: `files.root` is the trust anchor. */
  readonly files: PkiFiles
}

/** For a file's `beforeAll`: fails fast without dist/, then builds the PKI, the workspace and its files. */
export async function openAttackKit(prefix: string): Promise<AttackKit> {
  assertCliBuilt()
  const pki = await makePki('es256')
  const workspace = makeWorkspace(prefix)
  return { pki, workspace, files: writePkiFiles(workspace, pki) }
}

/** One row of an attack table: what it is called, and the verdict it must get. */
export interface AttackCase {
  readonly name: string
  readonly reason: RejectReason | 'ok'
}

/** Runs `fedmsg verify FLAGS` once over one line per case (`lineOf`), and returns the verdicts by case name. */
export async function judgeTable<T extends AttackCase>(
  workspace: Workspace,
  cases: readonly T[],
  lineOf: (c: T) => string | Uint8Array,
  flags: readonly string[],
): Promise<Map<string, Verdict>> {
  const run = await verifyLines(workspace, cases.map(lineOf), flags)
  return new Map(cases.map((c, index) => [c.name, run.verdicts[index]!]))
}

/** An `ok` case verifies (with `accepted`'s fields, if given); any other is rejected with exactly its reason. */
export function expectVerdict(
  verdict: Verdict | undefined,
  reason: RejectReason | 'ok',
  accepted: Partial<Verdict> = {},
): void {
  if (reason === 'ok') expect(verdict).toMatchObject({ ...accepted, ok: true })
  else expectReason(verdict, reason)
}
