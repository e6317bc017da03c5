/**
 * The extended key usage a leaf certificate must carry to sign fedmsg messages.
 *
 * A UUID-based OID (ITU-T X.667 / RFC 4122 §1: `2.25.<uuid as an integer>`) needs no registration and cannot
 * collide, so a TLS or code-signing certificate from the same CA can never sign bus messages.
 */
export const FEDMSG_MESSAGE_SIGNING_EKU = '2.25.234442364887818669524745411380688330499'
