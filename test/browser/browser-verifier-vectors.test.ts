/**
 * The published vectors (test/vectors) against the browser verifier (src/browser), inside headless Chromium:
 * the bundle a page would load, WebCrypto for every signature. Each vector the browser can judge must get the
 * Node verifier's verdict; the categories it cannot judge are listed with their reason, and the test asserts
 * that exactly those are skipped.
 */
import { join } from 'node:path'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, serveStatic } from '../fixtures/headless-chromium.js'
import {
  envelopeFramesOf,
  expectedOf,
  loadVectors,
  readVectorFile,
  type TestVector,
} from '../crypto/vector-files.js'

const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'browser', 'fedmsg-browser.js')

/** What the browser verifier cannot judge, and why (docs/browser.md "What it does not check"). */
const SKIPPED: readonly { readonly why: string; readonly applies: (v: TestVector) => boolean }[] = [
  {
    why: 'CRLs: the browser verifier takes no CRLs (revoked, crl_unavailable, CRL-dependent accepts)',
    applies: (v) => v.crls.length > 0 || v.require_crls === true,
  },
  {
    why: 'frame count: a WebSocket message is one envelope; the 2-frame rule belongs to the ZeroMQ socket',
    applies: (v) => v.frames !== undefined,
  },
]

/**
 * Certificate-profile rules the browser verifier does not re-implement (docs/browser.md): signature-algorithm
 * allowlist for certificates (SHA-1, differing algorithm fields), basicConstraints pathLen, unknown critical
 * extensions, and DER strictness (duplicate extensions, trailing bytes, undecodable extensions). By name,
 * because these vectors differ from the judged ones only inside a certificate.
 */
const PROFILE_RULE_VECTORS: ReadonlySet<string> = new Set([
  'malformed_duplicate_extension_fail',
  'malformed_x5c_trailing_bytes_fail',
  'undecodable_certificate_policies_ok',
  'untrusted_chain_algorithm_fields_differ_fail',
  'untrusted_chain_anchor_path_len_fail',
  'untrusted_chain_intermediate_sha1_fail',
  'untrusted_chain_leaf_ecdsa_sha1_fail',
  'untrusted_chain_leaf_sha1_rsa_fail',
  'untrusted_chain_path_len_fail',
  'untrusted_chain_unknown_critical_extension_fail',
])
const PROFILE_RULES =
  'certificate profile: signature-algorithm allowlist, pathLen, critical extensions, DER strictness'

const skipReasonOf = (vector: TestVector, name: string) =>
  PROFILE_RULE_VECTORS.has(name) ? PROFILE_RULES : SKIPPED.find((s) => s.applies(vector))?.why

// The page loads the bundle as any user's page would; the test reads it from window (vitest rewrites a
// dynamic import() written inside page.evaluate).
const PAGE = `<!doctype html><title>vectors</title><script type="module">
import * as fedmsg from '/fedmsg-browser.js'
window.fedmsg = fedmsg
</script>`

let browser: Browser
let page: Page
let server: Server

beforeAll(async () => {
  const served = await serveStatic({
    '/': { text: PAGE, type: 'text/html' },
    '/fedmsg-browser.js': { path: BUNDLE, type: 'text/javascript' },
  })
  server = served.server
  browser = await launchChromium()
  page = await browser.newPage()
  await page.goto(served.url)
  await page.waitForFunction(() => 'fedmsg' in window)
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
})

/** Runs one vector in the page; frames that are not UTF-8 text travel as byte arrays. */
async function judgeInBrowser(vector: TestVector): Promise<unknown[]> {
  const toWire = (frame: string | Buffer) => (typeof frame === 'string' ? frame : [...frame])
  const input = {
    options: {
      trustAnchors: vector.trust_anchors.map(readVectorFile),
      policy: vector.policy,
      maxAgeMs: vector.max_age_seconds === null ? null : vector.max_age_seconds * 1000,
      clockSkewMs: vector.clock_skew_seconds * 1000,
      notBeforeMs: vector.not_before === undefined ? undefined : Date.parse(vector.not_before),
      maxEnvelopeBytes: vector.max_envelope_bytes,
      allowedAlgs: vector.allowed_algs,
    },
    now: Date.parse(vector.now),
    topic: toWire(vector.topic_frame ?? Buffer.from(vector.topic_frame_b64!, 'base64')),
    envelopes: envelopeFramesOf(vector).map(toWire),
  }
  return page.evaluate(async ({ options, now, topic, envelopes }) => {
    const { BrowserVerifier } = (
      window as unknown as { fedmsg: typeof import('../../src/browser/index.js') }
    ).fedmsg
    const bytes = (frame: string | number[]) =>
      typeof frame === 'string' ? frame : new Uint8Array(frame)
    // Members the vector leaves unset take the verifier's defaults.
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
    const verifier = new BrowserVerifier({
      ...defined,
      trustAnchors: options.trustAnchors,
      now: () => now,
    })
    const verdicts = []
    for (const envelope of envelopes) {
      const result = await verifier.verify(bytes(topic), bytes(envelope))
      verdicts.push(
        result.ok
          ? {
              ok: true,
              signer: result.message.signer,
              alg: result.message.alg,
              topic: result.message.topic,
              msg_id: result.message.msgId,
              timestamp: result.message.timestamp,
              i: result.message.i,
            }
          : { ok: false, reason: result.reason },
      )
    }
    return verdicts
  }, input)
}

const vectors = loadVectors()
const judged = vectors.filter(({ vector, name }) => skipReasonOf(vector, name) === undefined)

describe('browser verifier in Chromium: the published vectors', () => {
  it.each(judged)('$name', async ({ vector }) => {
    expect(await judgeInBrowser(vector)).toEqual(expectedOf(vector))
  })

  it('skips only the listed categories, each for its reason', () => {
    const counts = new Map<string, number>()
    for (const { vector, name } of vectors) {
      const why = skipReasonOf(vector, name)
      if (why !== undefined) counts.set(why, (counts.get(why) ?? 0) + 1)
    }
    expect([...counts.keys()].sort()).toEqual(
      [...SKIPPED.map(({ why }) => why), PROFILE_RULES].sort(),
    )
    expect(counts.get(PROFILE_RULES)).toBe(PROFILE_RULE_VECTORS.size)
    // The browser judges the bulk of the suite, every algorithm and every reason it can give among them.
    expect(judged.length).toBeGreaterThan(120)
    const reasons = new Set(
      judged.flatMap(({ vector }) => expectedOf(vector)).flatMap((v) => (v.ok ? [] : [v.reason])),
    )
    expect([...reasons].sort()).toEqual(BROWSER_REASONS)
  })
})

/** Every reason the browser verifier gives, each met by at least one judged vector. */
const BROWSER_REASONS = [
  'alg_mismatch',
  'bad_cert_usage',
  'bad_signature',
  'cert_expired',
  'cert_not_yet_valid',
  'future',
  'malformed',
  'oversize',
  'policy_denied',
  'replay',
  'stale',
  'topic_mismatch',
  'unsupported_alg',
  'unsupported_version',
  'untrusted_chain',
]
