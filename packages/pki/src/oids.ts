// Object identifiers used by the parser and the builder, with the document that assigns each.

/** RFC 5280 §4.2 certificate extensions. */
export const ExtensionOid = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  nameConstraints: '2.5.29.30',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

/** RFC 5280 §4.2.1.12 key purposes. */
export const ExtKeyUsageOid = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** Public key algorithms (RFC 3279, RFC 5480, RFC 8410, RFC 4055). */
export const KeyAlgorithmOid = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

/** RFC 5480 §2.1.1.1 named curves. */
export const CurveOid: Readonly<Record<string, string>> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
};

export const CurveBits: Readonly<Record<string, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256 };

export type HashName = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'unknown';

/** Signature algorithms (RFC 8017 App. C, RFC 5758 §3.2, RFC 8410 §3). RSASSA-PSS is resolved from its parameters. */
export const SignatureAlgorithmOid: Readonly<Record<string, { hash?: HashName; scheme: SignatureScheme }>> = {
  '1.2.840.113549.1.1.4': { hash: 'md5', scheme: 'rsa-pkcs1' },
  '1.2.840.113549.1.1.5': { hash: 'sha1', scheme: 'rsa-pkcs1' },
  '1.2.840.113549.1.1.14': { hash: 'sha224', scheme: 'rsa-pkcs1' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', scheme: 'rsa-pkcs1' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', scheme: 'rsa-pkcs1' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', scheme: 'rsa-pkcs1' },
  '1.2.840.10045.4.1': { hash: 'sha1', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.1': { hash: 'sha224', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', scheme: 'ecdsa' },
  '1.3.101.112': { scheme: 'ed25519' },
};

/** NIST hash algorithm OIDs (RFC 8017 App. C, RFC 5758), used inside RSASSA-PSS parameters. */
export const HashOid: Readonly<Record<string, HashName>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';

/** RFC 5280 §5.2 CRL extensions and §5.3 CRL entry extensions. */
export const CrlExtensionOid = {
  authorityKeyIdentifier: '2.5.29.35',
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCRL: '2.5.29.46',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;
