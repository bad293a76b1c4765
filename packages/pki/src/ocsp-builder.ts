// OCSP response building (RFC 6960 §4.2.1) for tests and in-process responders: the counterpart
// of ocsp-response.ts, as crl-builder.ts is of crl.ts.
import { createHash, sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { signatureAlgorithmFor } from './builder.js';
import type { ParsedCertificate } from './certificate.js';
import { Tag } from './der/der-reader.js';
import { derBitString, derExplicit, derImplicitPrimitive, derInteger, derOctetString, derOid, derSequence, tlv } from './der/der-writer.js';
import { OcspOid, encodeCertId, subjectPublicKeyBits } from './ocsp-request.js';
import type { OcspCertId } from './ocsp-request.js';
import { OCSP_RESPONSE_STATUS } from './ocsp-response.js';
import type { OcspCertStatus, OcspResponseStatus } from './ocsp-response.js';

export interface OcspSingleResponseSpec {
  certId: OcspCertId;
  status: OcspCertStatus;
  revocationTime?: Date;
  revocationReason?: number;
  thisUpdate: Date;
  nextUpdate?: Date;
}

export interface OcspResponseTemplate {
  /** The issuing CA, or a delegated responder certificate and its key. */
  signer: { cert: ParsedCertificate; key: KeyObject };
  /** ResponderID form; default 'name'. */
  responderId?: 'name' | 'key';
  producedAt: Date;
  responses: OcspSingleResponseSpec[];
  /** Certificates for the certs field (a delegated responder includes its own). */
  certs?: Buffer[];
  /** A nonce extnValue to echo (ParsedOcspRequest.nonce). */
  nonce?: Buffer;
  hash?: 'sha256' | 'sha384' | 'sha512';
}

const ENUMERATED = 0x0a;

/** RFC 6960 uses GeneralizedTime for every time field, whatever the year (unlike RFC 5280). */
function generalizedTime(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  return tlv(Tag.GeneralizedTime, Buffer.from(`${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`, 'latin1'));
}

function singleResponse(r: OcspSingleResponseSpec): Buffer {
  let status: Buffer;
  if (r.status === 'good') status = derImplicitPrimitive(0, Buffer.alloc(0));
  else if (r.status === 'unknown') status = derImplicitPrimitive(2, Buffer.alloc(0));
  else {
    const fields = [generalizedTime(r.revocationTime ?? r.thisUpdate)];
    if (r.revocationReason !== undefined) fields.push(derExplicit(0, [tlv(ENUMERATED, Buffer.from([r.revocationReason]))]));
    status = tlv(0xa1, fields);
  }
  const fields = [encodeCertId(r.certId), status, generalizedTime(r.thisUpdate)];
  if (r.nextUpdate) fields.push(derExplicit(0, [generalizedTime(r.nextUpdate)]));
  return derSequence(fields);
}

/** A successful OCSPResponse carrying a signed BasicOCSPResponse; returns its DER. */
export function buildOcspResponse(t: OcspResponseTemplate): Buffer {
  const { cert, key } = t.signer;
  const { alg, digest } = signatureAlgorithmFor(key, t.hash ?? 'sha256');
  const rid = (t.responderId ?? 'name') === 'name'
    ? derExplicit(1, [cert.subject.der])
    : derExplicit(2, [derOctetString(createHash('sha1').update(subjectPublicKeyBits(cert)).digest())]);
  const fields = [rid, generalizedTime(t.producedAt), derSequence(t.responses.map(singleResponse))];
  if (t.nonce) fields.push(derExplicit(1, [derSequence([derSequence([derOid(OcspOid.nonce), derOctetString(t.nonce)])])]));
  const tbs = derSequence(fields);
  const basicFields = [tbs, alg, derBitString(cryptoSign(digest, tbs, key))];
  if (t.certs && t.certs.length > 0) basicFields.push(derExplicit(0, [derSequence(t.certs)]));
  const basic = derSequence(basicFields);
  return derSequence([
    tlv(ENUMERATED, Buffer.from([0])),
    derExplicit(0, [derSequence([derOid(OcspOid.basicResponse), derOctetString(basic)])]),
  ]);
}

/** An unsuccessful OCSPResponse (no responseBytes), e.g. 'tryLater' or 'unauthorized'. */
export function buildOcspErrorResponse(status: Exclude<OcspResponseStatus, 'successful'>): Buffer {
  const code = OCSP_RESPONSE_STATUS.indexOf(status);
  return derSequence([tlv(ENUMERATED, derInteger(code).subarray(2))]);
}
