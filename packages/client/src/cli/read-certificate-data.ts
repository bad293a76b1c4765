import { loadCertificate } from '../key-sources/certificate.js';
import { KeySourceError } from '../key-sources/key-source-error.js';
import type { CliIo } from './cli-io.js';
import { str, type ParsedFlags } from './flags.js';

/**
 * `read-certificate-data` for a certificate file: the official helper's `CertificateData` JSON
 * (`keyType`, base64 DER, decimal serial, `<type>SHA256/384/512`), no trailing newline
 * (signing-helper-spec §1.5).
 * @internal
 */
export async function runReadCertificateData(flags: ParsedFlags, io: CliIo): Promise<number> {
  const certificateId = str(flags, 'certificate');
  if (certificateId.startsWith('pkcs11:')) {
    throw new KeySourceError('unsupported-source', 'PKCS#11 (pkcs11: URIs) is not supported yet in this build');
  }
  if (certificateId === '') {
    throw new KeySourceError(
      'unsupported-source',
      'no --certificate given (OS certificate stores and --cert-selector are not supported yet in this build)',
    );
  }
  const cert = loadCertificate(certificateId);
  const type = cert.x509.publicKey.asymmetricKeyType;
  const keyType = type === 'rsa' ? 'RSA' : type === 'ec' ? 'EC' : '';
  io.stdout(
    JSON.stringify({
      keyType,
      certificateData: cert.der.toString('base64'),
      serialNumber: cert.serialDecimal,
      supportedAlgorithms: [`${keyType}SHA256`, `${keyType}SHA384`, `${keyType}SHA512`],
    }),
  );
  return 0;
}
