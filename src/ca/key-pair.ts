import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { nodeWebCrypto } from '../crypto/x509.js'

/** Key algorithms the CA can generate, by their CLI names. */
export const KEY_ALGORITHMS = ['es256', 'ed25519', 'rsa2048'] as const
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number]

export interface KeyPair {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

/** Generates a key pair with node:crypto (OpenSSL). */
export function generateKeyPair(alg: KeyAlgorithm): KeyPair {
  switch (alg) {
    case 'es256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' })
    case 'ed25519':
      return generateKeyPairSync('ed25519')
    case 'rsa2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 })
  }
}

/** The key algorithm of an existing key, or undefined when the CA cannot sign with it. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  const type = key.asymmetricKeyType
  if (type === 'ed25519') return 'ed25519'
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'es256'
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'rsa2048'
  return undefined
}

/** WebCrypto parameters a CA key signs certificates and CRLs with. */
export function certificateSigningAlgorithm(alg: KeyAlgorithm): Algorithm | EcdsaParams {
  switch (alg) {
    case 'es256':
      return { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams
    case 'ed25519':
      return { name: 'Ed25519' }
    case 'rsa2048':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm
  }
}

function importAlgorithm(alg: KeyAlgorithm): Algorithm | EcKeyImportParams | RsaHashedImportParams {
  switch (alg) {
    case 'es256':
      return { name: 'ECDSA', namedCurve: 'P-256' }
    case 'ed25519':
      return { name: 'Ed25519' }
    case 'rsa2048':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  }
}

/** A non-extractable WebCrypto handle on a node:crypto private key, for @peculiar/x509's generators. */
export async function toSigningCryptoKey(privateKey: KeyObject): Promise<CryptoKey> {
  const alg = keyAlgorithmOf(privateKey)
  if (alg === undefined) {
    throw new TypeError(`a CA cannot sign with a ${privateKey.asymmetricKeyType} key`)
  }
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' })
  return nodeWebCrypto.subtle.importKey('pkcs8', pkcs8, importAlgorithm(alg), false, ['sign'])
}
