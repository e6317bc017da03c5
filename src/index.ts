export * as errors from './errors.js'
export { REJECT_REASONS, isRejectReason } from './errors.js'
export type { RejectReason, FedmsgErrorCode, AnyFedmsgError } from './errors.js'
export { FEDMSG_MESSAGE_SIGNING_EKU } from './crypto/eku.js'
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
export { EnvelopeVerifier, verifyEnvelope } from './crypto/envelope-verifier.js'
export { VERIFIER_DEFAULTS } from './crypto/verifier-options.js'
export { VerifierPool } from './crypto/verifier-pool.js'
export { POOL_DEFAULTS, defaultVerifyWorkers } from './crypto/verifier-pool-options.js'
export type { VerifierPoolOptions } from './crypto/verifier-pool-options.js'
export { InlineVerifier } from './crypto/message-verifier.js'
export type { MessageVerifier, VerdictSink } from './crypto/message-verifier.js'
export type { VerifierOptions } from './crypto/verifier-options.js'
export type { ReplayAdmission } from './crypto/replay-admission.js'
export { JournaledReplayAdmission } from './replay/journaled-replay-admission.js'
export type { JournaledReplayAdmissionOptions } from './replay/journaled-replay-admission.js'
export { ChainValidator } from './crypto/chain-validator.js'
export type { ChainValidatorOptions, ValidatedChain } from './crypto/chain-validator.js'
export { EnvelopeSigner } from './crypto/envelope-signer.js'
export type { SignerOptions, SignedEnvelope, SignInput } from './crypto/envelope-signer.js'
export { RoutingPolicy } from './crypto/routing-policy.js'
export type { RoutingRule } from './crypto/routing-policy.js'
export {
  topicMatches,
  isValidTopic,
  assertValidTopic,
  assertValidTopicPattern,
  MAX_TOPIC_BYTES,
} from './crypto/topic-pattern.js'
export type { Envelope } from './crypto/envelope.js'
export type {
  Alg,
  SignerIdentity,
  VerifiedMessage,
  VerifiedFields,
  Rejected,
  VerifyResult,
} from './crypto/verified-message.js'
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
export { createPublisher, Publisher } from './transport/publisher.js'
export type { PublisherOptions, PublishOptions } from './transport/publisher.js'
export { createHub, Hub } from './transport/hub.js'
export type { HubStats } from './transport/hub.js'
export type { HubOptions } from './transport/hub-options.js'
export { createRelay, Relay } from './transport/relay.js'
export type { RelayStats } from './transport/relay.js'
export type { RelayOptions } from './transport/relay-options.js'
export type { Consumer, ConsumeContext } from './transport/consumer.js'
export type { ConsumerStats } from './transport/consumer-runner.js'
export type { SequenceStats } from './transport/sequence-tracker.js'
export type { CrlWatcherStats } from './transport/crl-watcher.js'
export type { LatencyHistogramSnapshot } from './transport/latency-histogram.js'
export type { RejectCounts } from './transport/reject-counts.js'
export type { ConfigInput } from './transport/resolve-config.js'
export {
  createVerifierFromConfig,
  createMessageVerifier,
  verifierOptionsFromConfig,
} from './transport/verifier-from-config.js'
export type { ConfiguredVerifierOptions } from './transport/verifier-from-config.js'
export type { VerifierRuntime } from './transport/verifier-from-config.js'
export { startMetricsServer } from './transport/metrics-server.js'
export type { MetricsServer, MetricsServerOptions } from './transport/metrics-server.js'
export { createMetricsRegistry } from './transport/metrics-registry.js'
export { registerHubMetrics } from './transport/hub-metrics.js'
export { registerRelayMetrics } from './transport/relay-metrics.js'
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
