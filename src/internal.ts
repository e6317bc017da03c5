/**
 * `fedmsg/internal`: building blocks that benchmarks, test harnesses and tools import through the package.
 * No stability promise: any release may change them. The public API is `fedmsg` (src/index.ts, docs/api.md).
 */
export { isRejectReason } from './errors.js'
export { EnvelopeSigner } from './crypto/envelope/envelope-signer.js'
export type { SignerOptions, SignedEnvelope, SignInput } from './crypto/envelope/envelope-signer.js'
export type { Envelope } from './crypto/envelope/envelope.js'
export type { VerifiedFields } from './crypto/envelope/verified-message.js'
export { ChainValidator } from './crypto/chain/chain-validator.js'
export type { ChainValidatorOptions, ValidatedChain } from './crypto/chain/chain-validator.js'
export {
  topicMatches,
  isValidTopic,
  assertValidTopic,
  assertValidTopicPattern,
  MAX_TOPIC_BYTES,
} from './crypto/policy/topic-pattern.js'
export type { ReplayAdmission } from './crypto/replay/replay-admission.js'
export { JournaledReplayAdmission } from './replay-journal/journaled-replay-admission.js'
export type { JournaledReplayAdmissionOptions } from './replay-journal/journaled-replay-admission.js'
export { VerifierPool } from './verification/pool/verifier-pool.js'
export type { VerifierPoolOptions } from './verification/pool/verifier-pool-options.js'
export type {
  ServiceCertPaths,
  ConsumerConfig,
  CurveConfig,
  SummaryProcessorConfig,
} from './config/config-types.js'
export type { ConfigInput } from './transport/resolve-config.js'
export type { ConsumerStats } from './hub/consumer-runner.js'
export type { SequenceStats } from './hub/sequence-tracker.js'
export type { CrlWatcherStats } from './verification/crl-watcher.js'
export type { RejectCounts } from './verification/reject-counts.js'
export type { LatencyHistogramSnapshot } from './metrics/latency-histogram.js'
export { startMetricsServer } from './metrics/metrics-server.js'
export type { MetricsServer, MetricsServerOptions } from './metrics/metrics-server.js'
export { createMetricsRegistry } from './metrics/metrics-registry.js'
export { registerHubMetrics } from './metrics/hub-metrics.js'
export { registerRelayMetrics } from './metrics/relay-metrics.js'
export { SUMMARY_DEFAULTS } from './meta/summarize-message.js'
export type { Summarize, SummaryInput, ProcessorSummary } from './meta/message-summary.js'
