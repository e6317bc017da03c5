export * as errors from './errors.js'
export { REJECT_REASONS, isRejectReason } from './errors.js'
export type { RejectReason, FedmsgErrorCode, AnyFedmsgError } from './errors.js'
export { FEDMSG_MESSAGE_SIGNING_EKU } from './crypto/chain/eku.js'
export { loadConfig } from './config/load-config.js'
export type { LoadConfigOptions, LoadedConfig } from './config/load-config.js'
export { devDefaults } from './config/dev-defaults.js'
export { CONFIG_SCHEMA } from './config/config-schema.js'
export { DEFAULT_CONFIG } from './config/config-types.js'
export type {
  FedmsgConfig,
  ServiceCertPaths,
  ConsumerConfig,
  CurveConfig,
  SummaryProcessorConfig,
} from './config/config-types.js'
export { EnvelopeVerifier } from './crypto/envelope/envelope-verifier.js'
export { VERIFIER_DEFAULTS } from './crypto/envelope/verifier-options.js'
export { VerifierPool } from './verification/pool/verifier-pool.js'
export { POOL_DEFAULTS, defaultVerifyWorkers } from './verification/pool/verifier-pool-options.js'
export type { VerifierPoolOptions } from './verification/pool/verifier-pool-options.js'
export { InlineVerifier } from './verification/message-verifier.js'
export type { MessageVerifier, VerdictSink } from './verification/message-verifier.js'
export type { VerifierOptions } from './crypto/envelope/verifier-options.js'
export type { ReplayAdmission } from './crypto/replay/replay-admission.js'
export { JournaledReplayAdmission } from './replay-journal/journaled-replay-admission.js'
export type { JournaledReplayAdmissionOptions } from './replay-journal/journaled-replay-admission.js'
export { ChainValidator } from './crypto/chain/chain-validator.js'
export type { ChainValidatorOptions, ValidatedChain } from './crypto/chain/chain-validator.js'
export { EnvelopeSigner } from './crypto/envelope/envelope-signer.js'
export type { SignerOptions, SignedEnvelope, SignInput } from './crypto/envelope/envelope-signer.js'
export { RoutingPolicy } from './crypto/policy/routing-policy.js'
export type { RoutingRule } from './crypto/policy/routing-policy.js'
export {
  topicMatches,
  isValidTopic,
  assertValidTopic,
  assertValidTopicPattern,
  MAX_TOPIC_BYTES,
} from './crypto/policy/topic-pattern.js'
export type { Envelope } from './crypto/envelope/envelope.js'
export type {
  Alg,
  SignerIdentity,
  VerifiedMessage,
  VerifiedFields,
  Rejected,
  VerifyResult,
} from './crypto/envelope/verified-message.js'
export { initRootCa } from './ca/init-root-ca.js'
export type { InitRootCaOptions } from './ca/init-root-ca.js'
export { issueIntermediateCa } from './ca/issue-intermediate-ca.js'
export type { IssueIntermediateCaOptions } from './ca/issue-intermediate-ca.js'
export { issueServiceCertificate } from './ca/issue-service-certificate.js'
export type { IssueServiceOptions, IssuedService } from './ca/issue-service-certificate.js'
export { revokeCertificate } from './ca/revoke-certificate.js'
export type { RevokeOptions, RevokeResult } from './ca/revoke-certificate.js'
export { generateCrl } from './ca/generate-crl.js'
export type { GenerateCrlOptions, GeneratedCrl } from './ca/generate-crl.js'
export { listIssued } from './ca/list-issued.js'
export type { IssuedRecord, RevocationRecord } from './ca/ca-state.js'
export type { CaSummary, CaOperationOptions } from './ca/ca-operation-options.js'
export { KEY_ALGORITHMS } from './ca/key-pair.js'
export type { KeyAlgorithm } from './ca/key-pair.js'
export { REVOCATION_REASONS } from './ca/certificate-factory.js'
export type { RevocationReason } from './ca/certificate-factory.js'
export { createPublisher, Publisher } from './publisher/publisher.js'
export type { PublisherOptions, PublishOptions } from './publisher/publisher.js'
export { createHub, Hub } from './hub/hub.js'
export type { HubStats } from './hub/hub.js'
export type { HubOptions } from './hub/hub-options.js'
export { createRelay, Relay } from './relay/relay.js'
export type { RelayStats } from './relay/relay.js'
export type { RelayOptions } from './relay/relay-options.js'
export type { Consumer, ConsumeContext } from './hub/consumer.js'
export type { ConsumerStats } from './hub/consumer-runner.js'
export type { SequenceStats } from './hub/sequence-tracker.js'
export type { CrlWatcherStats } from './verification/crl-watcher.js'
export type { LatencyHistogramSnapshot } from './metrics/latency-histogram.js'
export type { RejectCounts } from './verification/reject-counts.js'
export type { ConfigInput } from './transport/resolve-config.js'
export {
  createVerifierFromConfig,
  createMessageVerifier,
  verifierOptionsFromConfig,
} from './verification/verifier-from-config.js'
export type { ConfiguredVerifierOptions } from './verification/verifier-from-config.js'
export type { VerifierRuntime } from './verification/verifier-from-config.js'
export { startMetricsServer } from './metrics/metrics-server.js'
export type { MetricsServer, MetricsServerOptions } from './metrics/metrics-server.js'
export { createMetricsRegistry } from './metrics/metrics-registry.js'
export { registerHubMetrics } from './metrics/hub-metrics.js'
export { registerRelayMetrics } from './metrics/relay-metrics.js'
export { createSummarizer, SUMMARY_DEFAULTS } from './meta/summarize-message.js'
export type { SummarizerOptions } from './meta/summarize-message.js'
export { createSummarizerFromConfig } from './meta/summarizer-from-config.js'
export type {
  MessageProcessor,
  MessageSummary,
  ProcessorSummary,
  Summarize,
  SummaryInput,
} from './meta/message-summary.js'
