// Its own module, importing nothing: the signer reads it without loading the chain code (@peculiar/x509).
/** The chain validator's defaults, in one place: the verifier's and the envelope parser's come from here. */
export const CHAIN_DEFAULTS = Object.freeze({
  /** Most `x5c` elements (docs/protocol.md §5). */
  maxChainLength: 4,
  /** Verified chains remembered, and as many refused ones. */
  cacheSize: 1024,
})
