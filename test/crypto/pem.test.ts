import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePemBlocks, encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { x509 } from '../../src/crypto/x509.js'

/** What @peculiar/x509's converter finds, or 'throws'. */
function referenceView(text: string): Uint8Array[] | 'throws' {
  try {
    return x509.PemConverter.decodeWithHeaders(text)
      .filter((block) => block.type === PEM_LABEL.certificate)
      .map((block) => new Uint8Array(block.rawData))
  } catch {
    return 'throws'
  }
}

/** What src/crypto/pem.ts finds, or 'throws'. */
function fedmsgView(text: string): Uint8Array[] | 'throws' {
  try {
    return decodePemBlocks(text, PEM_LABEL.certificate)
  } catch {
    return 'throws'
  }
}

const B64 = 'MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGU=' // any valid base64
const block = (label: string, body: string) =>
  `-----BEGIN ${label}-----\n${body}-----END ${label}-----`

const CASES: { name: string; text: string }[] = [
  { name: 'one certificate', text: `${block('CERTIFICATE', `${B64}\n`)}\n` },
  {
    name: 'a chain of two',
    text: `${block('CERTIFICATE', `${B64}\n`)}\n${block('CERTIFICATE', 'QUJD\n')}\n`,
  },
  {
    name: 'CRLF line ends',
    text: `${block('CERTIFICATE', `${B64}\r\n`)}\r\n`.replace(/\n/g, '\r\n'),
  },
  {
    name: 'text around the blocks',
    text: `subject=CN=x\n${block('CERTIFICATE', 'QUJD\n')}\ntrailer`,
  },
  {
    name: 'other labels are left out',
    text: `${block('X509 CRL', 'QUJD\n')}\n${block('PRIVATE KEY', 'QUJD\n')}`,
  },
  {
    name: 'a TRUSTED CERTIFICATE is not a CERTIFICATE',
    text: block('TRUSTED CERTIFICATE', 'QUJD\n'),
  },
  {
    name: 'RFC 1421 headers',
    text: block('CERTIFICATE', 'Proc-Type: 4,X\nDEK-Info: a,\n b\n\nQUJD\n'),
  },
  {
    name: 'mismatched END label',
    text: '-----BEGIN CERTIFICATE-----\nQUJD\n-----END X509 CRL-----',
  },
  {
    name: 'no newline before END',
    text: '-----BEGIN CERTIFICATE-----\nQUJD-----END CERTIFICATE-----',
  },
  { name: 'a space in the base64', text: block('CERTIFICATE', 'QU JD\n') },
  {
    name: 'a nested BEGIN',
    text: `-----BEGIN CERTIFICATE-----\nQUJD\n${block('CERTIFICATE', 'REVG\n')}`,
  },
  { name: 'empty text', text: '' },
  { name: 'no PEM at all', text: 'DER bytes \u0000\u0001' },
]

describe('decodePemBlocks finds what @peculiar/x509 finds', () => {
  it.each(CASES)('$name', ({ text }) => {
    expect(fedmsgView(text)).toEqual(referenceView(text))
  })

  it('on random PEM-like text: blocks with headers, odd labels and line ends, and junk between', () => {
    const label = fc.oneof(
      { arbitrary: fc.constant('CERTIFICATE'), weight: 6 },
      { arbitrary: fc.constantFrom('X509 CRL', 'TRUSTED CERTIFICATE', 'CERTIFICATE '), weight: 1 },
    )
    const header = fc.constantFrom(
      'Proc-Type: 4,X',
      'DEK-Info: a,',
      ' continued',
      'a:b',
      'k: -----',
    )
    const base64 = fc.constantFrom('QUJD', 'REVGR0hJ', 'S0xN')
    const odd = fc.constantFrom('Q', 'QU JD', '--', 'REVGRw==', '-----END CERTIFICATE-----')
    const pemBlock = fc
      .record({
        begin: label,
        sameEnd: fc.boolean(),
        end: label,
        headers: fc.array(header, { maxLength: 2 }),
        blank: fc.boolean(),
        body: fc.array(fc.oneof({ arbitrary: base64, weight: 8 }, { arbitrary: odd, weight: 1 }), {
          minLength: 1,
          maxLength: 4,
        }),
      })
      .map(({ begin, sameEnd, end, headers, blank, body }) =>
        [
          `-----BEGIN ${begin}-----`,
          ...headers,
          ...(blank ? [''] : []),
          ...body,
          `-----END ${sameEnd ? begin : end}-----`,
        ].join('\n'),
      )
    const glue = fc.constantFrom(
      '',
      'junk',
      '-----BEGIN CERTIFICATE-----',
      '-----END X509 CRL-----',
    )
    const text = fc
      .array(fc.oneof({ arbitrary: pemBlock, weight: 3 }, { arbitrary: glue, weight: 1 }), {
        maxLength: 5,
      })
      .chain((parts) =>
        fc.boolean().map((crlf) => parts.join('\n').replace(/\n/g, crlf ? '\r\n' : '\n')),
      )
    let decoded = 0
    fc.assert(
      fc.property(text, (pem) => {
        const expected = referenceView(pem)
        if (expected !== 'throws') decoded += expected.length
        expect(fedmsgView(pem)).toEqual(expected)
      }),
      { numRuns: 2000 },
    )
    expect(decoded).toBeGreaterThan(500)
  })
})

describe('no catastrophic backtracking', () => {
  it('40 continuation lines that also look like headers, in a block that does not match: answered at once', () => {
    // With @peculiar/x509's pattern each such line doubles the work (22 lines: 0.2 s; 40: days).
    const text = `-----BEGIN X509 CRL-----\nk: v\n${' c: d\n'.repeat(40)}QUJD\n-----END CERTIFICATE-----`
    const started = performance.now()
    expect(decodePemBlocks(text, PEM_LABEL.crl)).toEqual([])
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('encodePem writes what @peculiar/x509 writes', () => {
  it('for every length from 1 to 200 bytes (lines of 64 base64 characters)', () => {
    for (let length = 1; length <= 200; length++) {
      const der = new Uint8Array(length).map((_, i) => (i * 37 + length) & 0xff)
      expect(encodePem(der, PEM_LABEL.crl)).toBe(
        `${x509.PemConverter.encode(der.slice().buffer, PEM_LABEL.crl)}\n`,
      )
    }
  })

  it('round trip: decodePemBlocks(encodePem(der)) gives der back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (der) => {
        expect(
          decodePemBlocks(encodePem(der, PEM_LABEL.certificate), PEM_LABEL.certificate),
        ).toEqual([der])
      }),
    )
  })
})
