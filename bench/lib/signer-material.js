// @ts-check
/**
 * What a child process needs to sign as a PKI's leaf: the x5c certificates (DER, leaf first) and the private
 * key (PKCS #8 DER). KeyObjects and signers cannot cross the IPC channel; these bytes can.
 */

/**
 * @param {import('./pki.js').Leaf} leaf
 * @param {{ topic: string, msg: Record<string, unknown> }} payload any body; one envelope is signed to read x5c
 * @returns {{ certificates: Uint8Array[], pkcs8: Uint8Array }}
 */
export function signerMaterial(leaf, payload) {
  const { frame } = leaf.signer.sign({ topic: payload.topic, msg: payload.msg, i: 1 })
  const { x5c } = JSON.parse(frame.toString('utf8'))
  return {
    certificates: x5c.map(
      (/** @type {string} */ der) => new Uint8Array(Buffer.from(der, 'base64')),
    ),
    pkcs8: new Uint8Array(leaf.privateKey.export({ format: 'der', type: 'pkcs8' })),
  }
}
