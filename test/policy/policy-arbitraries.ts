/**
 * Small random patterns, topics and policies over a three-letter alphabet, so that random topics hit random
 * patterns often: the audit's answers are checked against `topicMatches` and `RoutingPolicy.isAllowed`.
 */
import fc from 'fast-check'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'

const token = fc.constantFrom('a', 'b', 'c')

export const topic = fc.array(token, { minLength: 1, maxLength: 5 }).map((t) => t.join('.'))

export const pattern = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([tokens, open]) => (open ? [...tokens, '>'] : tokens).join('.'))

export const signer = fc.constantFrom('s1', 's2', 's3')

const rule = fc.record({
  topic: pattern,
  allow: fc.subarray(['s1', 's2', '*']),
})

export const policy = fc
  .record({ default: fc.constantFrom('allow', 'deny'), rules: fc.array(rule, { maxLength: 5 }) })
  .map((json) => RoutingPolicy.fromJson(json))

/** Properties here are cheap: many runs, a fixed seed (a failure prints it). */
export const PROPERTY_PARAMETERS = { numRuns: 2_000, seed: 12 }
