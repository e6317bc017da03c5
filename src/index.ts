/**
 * The public API: what README.md and docs/ teach, each item listed with one line in docs/api.md (checked by
 * test/docs/api-doc.test.ts). Building blocks for tools and benchmarks are in `fedmsg/internal`, with no
 * stability promise.
 */
export * as errors from './errors.js'
export { REJECT_REASONS } from './errors.js'
export type { RejectReason, FedmsgErrorCode, AnyFedmsgError } from './errors.js'
export { FEDMSG_MESSAGE_SIGNING_EKU } from './crypto/chain/eku.js'
export { loadConfig } from './config/load-config.js'
export type { LoadConfigOptions, LoadedConfig } from './config/load-config.js'
export { devDefaults } from './config/dev-defaults.js'
export { CONFIG_SCHEMA } from './config/config-schema.js'
export { DEFAULT_CONFIG } from './config/config-types.js'
export type { FedmsgConfig } from './config/config-types.js'
export { EnvelopeVerifier } from './crypto/envelope/envelope-verifier.js'
export type { VerifierOptions } from './crypto/envelope/verifier-options.js'
export type {
  Alg,
  SignerIdentity,
  VerifiedMessage,
  Rejected,
  VerifyResult,
} from './crypto/envelope/verified-message.js'
export { RoutingPolicy } from './crypto/policy/routing-policy.js'
export type { RoutingRule } from './crypto/policy/routing-policy.js'
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
export type { Consumer, ConsumeContext } from './hub/consumer.js'
export { createRelay, Relay } from './relay/relay.js'
export type { RelayStats } from './relay/relay.js'
export type { RelayOptions } from './relay/relay-options.js'
export { createSummarizer } from './meta/summarize-message.js'
export type { SummarizerOptions } from './meta/summarize-message.js'
export { createSummarizerFromConfig } from './meta/summarizer-from-config.js'
export type { MessageProcessor, MessageSummary } from './meta/message-summary.js'
