// @ts-check
/**
 * The message bodies every figure is measured on. Sizes are of the body's JCS form, the bytes it takes inside
 * the envelope. The 1 KB body is a bodhi update request as Fedora's bus carries it; the 64 KB one is the same
 * kind of update for a large mass rebuild, so it is made of many small members, as real large messages are.
 */
import { canonicalize } from 'json-canonicalize'

/**
 * @typedef {object} Payload
 * @property {string} name
 * @property {string} topic
 * @property {Record<string, unknown>} msg
 * @property {number} bytes size of the JCS form of `msg`
 */

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request.testing'

/** @param {number} n */
function build(n) {
  return {
    nvr: `python-fedmsg-plugin${n}-1.${n % 7}.${n % 13}-${1 + (n % 3)}.fc40`,
    signed: n % 5 !== 0,
    type: 'rpm',
    epoch: 0,
  }
}

/** @param {number} builds @param {string} notes */
function bodhiUpdate(builds, notes) {
  return {
    agent: 'lmacken',
    update: {
      alias: 'FEDORA-2024-4e1a2b3c4d',
      title: Array.from({ length: Math.min(builds, 3) }, (_, n) => build(n).nvr).join(' '),
      status: 'pending',
      request: 'testing',
      severity: 'unspecified',
      type: 'bugfix',
      karma: 0,
      stable_karma: 3,
      unstable_karma: -3,
      autokarma: true,
      date_submitted: '2024-05-14 09:41:07',
      user: { name: 'lmacken', id: 1423, openid: 'lmacken.id.fedoraproject.org' },
      release: { name: 'F40', long_name: 'Fedora 40', version: '40', id_prefix: 'FEDORA' },
      builds: Array.from({ length: builds }, (_, n) => build(n)),
      bugs: Array.from({ length: Math.ceil(builds / 4) }, (_, n) => ({
        bug_id: 2_270_000 + n,
        title: `python-fedmsg-plugin${n}: crash on reload of fedmsg.d`,
        security: false,
      })),
      notes,
    },
  }
}

/** @param {string} name @param {Record<string, unknown>} msg @returns {Payload} */
function payload(name, msg) {
  return { name, topic: TOPIC, msg, bytes: Buffer.byteLength(canonicalize(msg)) }
}

/** @type {readonly Payload[]} */
export const PAYLOADS = Object.freeze([
  payload('100 B', {
    agent: 'lmacken',
    package: 'python-fedmsg-meta',
    version: '1.1.2-3.fc40.src',
    request: 'stable',
  }),
  payload(
    '1 KB',
    bodhiUpdate(
      2,
      'Update to upstream 1.1.2.\n\nFixes the crash on reload of fedmsg.d and the log spam when a ' +
        'consumer raises. See the upstream changelog for the full list of the changes in this release and for the next steps.',
    ),
  ),
  payload('64 KB', bodhiUpdate(596, 'Mass rebuild for Fedora 40: rebuilt with the new toolchain.')),
])
