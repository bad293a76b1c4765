// Public API of @mooring/pki (named re-exports only).
export { DerCursor, DerError, Tag, contextTag, readNode, readTopLevel, nodeValue, nodeBytes, decodeOidBytes } from './der/der-reader.js';
export type { DerNode } from './der/der-reader.js';
export {
  tlv, derSequence, derSet, derExplicit, derImplicitPrimitive, derNull, derBoolean, derInteger, derUnsignedInteger, derOid,
  derOctetString, derBitString, derUtf8String, derPrintableString, derIa5String, derTime, encodeOidBytes,
} from './der/der-writer.js';
export { pemBlocks, toPem } from './pem.js';
export { formatName, nameEquals, parseName, buildName, attributeShortName, attributeOid, escapeRdnValue } from './name.js';
export type { Name, NameAttribute, NameSpec } from './name.js';
export type { GeneralName, GeneralNameSpec } from './general-name.js';
export type { KeyType, SignatureAlgorithm, PublicKeyInfo } from './algorithms.js';
export type { BasicConstraints, KeyUsage } from './extensions.js';
export { CrlExtensionOid, ExtensionOid, ExtKeyUsageOid, KeyAlgorithmOid } from './oids.js';
export type { HashName, SignatureScheme } from './oids.js';
export { parseCertificate, parseCertificatePem, verifyCertificateSignature } from './certificate.js';
export type { ParsedCertificate, ParseResult } from './certificate.js';
export { checkKey, checkSignatureAlgorithm, MIN_RSA_BITS } from './certificate-policy.js';
export { validatePath, checkTrustAnchorCertificate } from './path-validation.js';
export { nameConstraintsExtension, nameConstraintViolation, parseNameConstraints } from './name-constraints.js';
export type { NameConstraints, SubtreeSpec } from './name-constraints.js';
export type { PathFailure, PathValidationInput, PathValidationResult, CertificateRole, TrustAnchorCheck } from './path-validation.js';
export { generateKeyPair, buildCertificate, buildCertificateWithSigner, keyIdentifier } from './builder.js';
export type { KeySpec, KeyUsageName, CertificateTemplate, ExternalSigner, UnsignedCertificateTemplate } from './builder.js';
export { createCertificateAuthority, issueLeafCertificate, createTestPki } from './test-pki.js';
export type { IssuedCertificate, Issuer, TestPki } from './test-pki.js';
export { parseCrl, verifyCrlIssuer, isRevoked, MAX_CRL_BYTES } from './crl.js';
export type { ParsedCrl, RevokedEntry, CrlParseFailure, CrlParseResult, CrlVerifyFailure, CrlVerifyResult } from './crl.js';
export { buildCrl, buildCrlWithSigner } from './crl-builder.js';
export type { CrlEntrySpec, CrlTemplate, ExternallySignedCrlTemplate } from './crl-builder.js';
export { verifySignedData } from './signature.js';
export {
  OcspOid, authorityInfoAccessExtension, buildOcspRequest, certIdEquals, ocspCertId, ocspResponderUrls, parseOcspRequest, subjectPublicKeyBits,
} from './ocsp-request.js';
export type { OcspCertId, OcspRequest, ParsedOcspRequest } from './ocsp-request.js';
export { MAX_OCSP_RESPONSE_BYTES, checkOcspResponse, parseOcspResponse, verifyOcspResponse } from './ocsp-response.js';
export type {
  BasicOcspResponse, OcspCertStatus, OcspParseResult, OcspResponseStatus, OcspSingleResponse, OcspVerifyFailure, OcspVerifyOptions, OcspVerifyResult, ParsedOcspResponse,
} from './ocsp-response.js';
export { buildOcspErrorResponse, buildOcspResponse } from './ocsp-builder.js';
export type { OcspResponseTemplate, OcspSingleResponseSpec } from './ocsp-builder.js';
