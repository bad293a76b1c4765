import { X509Certificate } from 'node:crypto';
import { KeySourceError } from './key-source-error.js';
import { readMaterial, type MaterialSource } from './material.js';
import { decodePemBlocks } from './pem.js';

/**
 * A parsed certificate with the two encodings the protocol needs. Parsing uses node's
 * `crypto.X509Certificate` so the helper's start-up path needs no ASN.1 library.
 * @public
 */
export interface LoadedCertificate {
  /** The DER bytes exactly as read; this is what goes into `X-Amz-X509`. */
  der: Buffer;
  x509: X509Certificate;
  /**
   * The serial as a decimal big integer, as Go's `big.Int.String()` prints it: the
   * `Credential=` field of a SigV4-X509 Authorization header (signing-helper-spec §2.6).
   */
  serialDecimal: string;
}

/** Parses one DER certificate. @internal */
export function parseCertificateDer(der: Buffer): LoadedCertificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (err) {
    throw new KeySourceError('certificate-invalid', 'could not parse certificate', { cause: err });
  }
  return { der, x509, serialDecimal: serialToDecimal(x509.serialNumber) };
}

/**
 * Node prints the serial as upper-case hex of the integer's magnitude (OpenSSL `BN_bn2hex`),
 * with a leading `-` for the negative serials RFC 5280 §4.1.2.2 forbids but some CAs issue.
 * @internal
 */
export function serialToDecimal(hex: string): string {
  const negative = hex.startsWith('-');
  const digits = negative ? hex.slice(1) : hex;
  const value = BigInt('0x' + (digits === '' ? '0' : digits));
  return (negative ? -value : value).toString();
}

/**
 * The first `CERTIFICATE` block of a PEM file, as the official helper's `ReadCertificateData`
 * does (so a cert+key "combo" file works). A bare DER Buffer is accepted too.
 * @public
 */
export function loadCertificate(source: MaterialSource): LoadedCertificate {
  const bytes = readMaterial(source, 'certificate');
  const block = decodePemBlocks(bytes.toString('latin1')).find((b) => b.type === 'CERTIFICATE');
  if (block === undefined) {
    // A Buffer holding DER (0x30 = SEQUENCE) is a certificate handed over by a program.
    if (Buffer.isBuffer(source) && bytes[0] === 0x30) return parseCertificateDer(bytes);
    throw new KeySourceError('pem-not-found', 'could not parse PEM data');
  }
  return parseCertificateDer(block.der);
}

/**
 * An intermediates bundle (`--intermediates`). Every PEM block must be a `CERTIFICATE`, else
 * `invalid certificate chain` (official helper `ReadCertificateBundleData`); text between
 * blocks is ignored and file order is kept, because it is sent in that order in
 * `X-Amz-X509-Chain`.
 * @public
 */
export function loadCertificateChain(source: MaterialSource): LoadedCertificate[] {
  const bytes = readMaterial(source, 'certificate chain');
  // An empty bundle is not an error in the official helper: it just sends no chain header.
  return decodePemBlocks(bytes.toString('latin1')).map((block) => {
    if (block.type !== 'CERTIFICATE') throw new KeySourceError('chain-invalid', 'invalid certificate chain');
    return parseCertificateDer(block.der);
  });
}
