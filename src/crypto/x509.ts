// @peculiar/x509 resolves its algorithm registry through tsyringe, which needs the Reflect metadata polyfill
// loaded first. Every module that uses @peculiar/x509 imports it from here so that ordering holds.
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

/** The WebCrypto provider (OpenSSL via node:crypto) passed explicitly to every @peculiar/x509 call. */
export const nodeWebCrypto = webcrypto as unknown as Crypto

export { x509 }
