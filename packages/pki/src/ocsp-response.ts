// OCSP responses (RFC 6960 §4.2): parsing of OCSPResponse / BasicOCSPResponse and verification
// of the signer (the issuing CA itself or a delegated responder, §4.2.2.2), the CertID, the
// validity interval (§4.2.2.1, §3.2 (5)(6)) and the nonce (§4.4.1).
import { createHash } from 'node:crypto';
import {
  DerCursor, DerError, Tag, contextTag, decodeBitString, decodeSmallInteger, decodeOid, decodeTime, nodeBytes, nodeValue, readTopLevel,
} from './der/der-reader.js';
import { parseSignatureAlgorithm } from './algorithms.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { parseCertificate, verifyCertificateSignature } from './certificate.js';
import type { ParsedCertificate } from './certificate.js';
import { forEachExtension } from './extensions.js';
import { formatName, nameEquals, parseNameNode } from './name.js';
import type { Name } from './name.js';
import { ExtKeyUsageOid } from './oids.js';
import { OcspOid, certIdEquals, decodeCertId, ocspCertId, subjectPublicKeyBits } from './ocsp-request.js';
import type { OcspCertId } from './ocsp-request.js';
import { verifySignedData } from './signature.js';

/** RFC 6960 §4.2.1 OCSPResponseStatus (4 is not used). */
export const OCSP_RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', undefined, 'sigRequired', 'unauthorized'] as const;
export type OcspResponseStatus = Exclude<(typeof OCSP_RESPONSE_STATUS)[number], undefined>;

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspSingleResponse {
  certId: OcspCertId;
  status: OcspCertStatus;
  revocationTime?: Date;
  /** RFC 5280 §5.3.1 CRLReason, when the responder gave one. */
  revocationReason?: number;
  thisUpdate: Date;
  nextUpdate?: Date;
  hasUnknownCriticalExtension: boolean;
}

export interface BasicOcspResponse {
  /** Exact ResponseData bytes (the signature input). */
  tbs: Buffer;
  signatureAlgorithm: SignatureAlgorithm;
  signature: Buffer;
  responderId: { byName: Name } | { byKey: Buffer };
  producedAt: Date;
  responses: OcspSingleResponse[];
  /** The nonce extension's extnValue, when present. */
  nonce?: Buffer;
  unknownCriticalExtensions: string[];
  /** The certs field (a delegated responder's certificate, perhaps its chain). */
  certs: ParsedCertificate[];
}

export interface ParsedOcspResponse {
  status: OcspResponseStatus;
  basic?: BasicOcspResponse;
}

export type OcspParseResult = { ok: true; value: ParsedOcspResponse } | { ok: false; reason: 'malformed' | 'unsupported-response-type'; detail: string };

const ENUMERATED = 0x0a;
/** A response is small; a larger body is garbage or an attack (callers also limit the transfer). */
export const MAX_OCSP_RESPONSE_BYTES = 100_000;

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function parseSingle(n: ReturnType<DerCursor['next']>): OcspSingleResponse {
  // SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, singleExtensions [1] EXPLICIT OPTIONAL }
  const c = DerCursor.inside(n);
  const certId = decodeCertId(c.next(Tag.SEQUENCE, 'certID'));
  const st = c.next(undefined, 'certStatus');
  const out: OcspSingleResponse = { certId, status: 'unknown', thisUpdate: new Date(0), hasUnknownCriticalExtension: false };
  // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }
  if (st.tag === contextTag(0, false) && st.end === st.valueStart) out.status = 'good';
  else if (st.tag === contextTag(2, false) && st.end === st.valueStart) out.status = 'unknown';
  else if (st.tag === contextTag(1, true)) {
    out.status = 'revoked';
    const r = DerCursor.inside(st);
    out.revocationTime = decodeTime(r.next(Tag.GeneralizedTime, 'revocationTime'));
    const reason = r.optional(contextTag(0, true));
    if (reason) {
      const e = DerCursor.inside(reason).next(ENUMERATED, 'CRLReason');
      out.revocationReason = decodeSmallInteger({ ...e, tag: Tag.INTEGER }, 10);
    }
    r.finish('RevokedInfo');
  } else throw new DerError(`bad certStatus tag 0x${st.tag.toString(16)}`);
  out.thisUpdate = decodeTime(c.next(Tag.GeneralizedTime, 'thisUpdate'));
  const next = c.optional(contextTag(0, true));
  if (next) out.nextUpdate = decodeTime(DerCursor.inside(next).next(Tag.GeneralizedTime, 'nextUpdate'));
  const ext = c.optional(contextTag(1, true));
  c.finish('SingleResponse');
  if (ext) {
    forEachExtension(DerCursor.inside(ext).next(Tag.SEQUENCE, 'singleExtensions'), (_oid, critical) => {
      if (critical) out.hasUnknownCriticalExtension = true;
    });
  }
  return out;
}

function parseBasic(der: Buffer): BasicOcspResponse {
  // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
  const b = DerCursor.inside(readTopLevel(der));
  const tbsNode = b.next(Tag.SEQUENCE, 'tbsResponseData');
  const signatureAlgorithm = parseSignatureAlgorithm(b.next(Tag.SEQUENCE, 'signatureAlgorithm'));
  const sig = decodeBitString(b.next(Tag.BIT_STRING, 'signature'));
  if (sig.unusedBits !== 0) throw new DerError('signature must be whole octets');
  const certs: ParsedCertificate[] = [];
  const certsNode = b.optional(contextTag(0, true));
  b.finish('BasicOCSPResponse');
  if (certsNode) {
    const list = DerCursor.inside(DerCursor.inside(certsNode).next(Tag.SEQUENCE, 'certs'));
    while (!list.done) {
      const r = parseCertificate(nodeBytes(list.next(Tag.SEQUENCE, 'Certificate')));
      if (!r.ok) throw new DerError(`responder certificate: ${r.detail}`);
      certs.push(r.value);
    }
  }
  // ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt, responses, responseExtensions [1] EXPLICIT OPTIONAL }
  const t = DerCursor.inside(tbsNode);
  const v = t.optional(contextTag(0, true));
  if (v && decodeSmallInteger(DerCursor.inside(v).next(Tag.INTEGER, 'version'), 255) !== 0) throw new DerError('unsupported ResponseData version');
  const rid = t.next(undefined, 'responderID');
  let responderId: BasicOcspResponse['responderId'];
  // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash } — explicit tags (the module is EXPLICIT TAGS).
  if (rid.tag === contextTag(1, true)) responderId = { byName: parseNameNode(DerCursor.inside(rid).next(Tag.SEQUENCE, 'byName')) };
  else if (rid.tag === contextTag(2, true)) responderId = { byKey: Buffer.from(nodeValue(DerCursor.inside(rid).next(Tag.OCTET_STRING, 'byKey'))) };
  else throw new DerError('bad ResponderID');
  const producedAt = decodeTime(t.next(Tag.GeneralizedTime, 'producedAt'));
  const list = DerCursor.inside(t.next(Tag.SEQUENCE, 'responses'));
  const responses: OcspSingleResponse[] = [];
  while (!list.done) responses.push(parseSingle(list.next(Tag.SEQUENCE, 'SingleResponse')));
  const out: BasicOcspResponse = {
    tbs: Buffer.from(nodeBytes(tbsNode)), signatureAlgorithm, signature: Buffer.from(sig.data), responderId, producedAt, responses, unknownCriticalExtensions: [], certs,
  };
  const ext = t.optional(contextTag(1, true));
  t.finish('ResponseData');
  if (ext) {
    forEachExtension(DerCursor.inside(ext).next(Tag.SEQUENCE, 'responseExtensions'), (oid, critical, value) => {
      if (oid === OcspOid.nonce) out.nonce = Buffer.from(value);
      else if (critical) out.unknownCriticalExtensions.push(oid);
    });
  }
  return out;
}

/** Parses an OCSPResponse (RFC 6960 §4.2.1). Only id-pkix-ocsp-basic response bytes are understood. Never throws. */
export function parseOcspResponse(data: Uint8Array): OcspParseResult {
  try {
    const der = toBuffer(data);
    if (der.length > MAX_OCSP_RESPONSE_BYTES) return { ok: false, reason: 'malformed', detail: `response is ${der.length} bytes; at most ${MAX_OCSP_RESPONSE_BYTES}` };
    const c = DerCursor.inside(readTopLevel(der));
    const st = c.next(ENUMERATED, 'responseStatus');
    const code = decodeSmallInteger({ ...st, tag: Tag.INTEGER }, 255);
    const status = OCSP_RESPONSE_STATUS[code];
    if (status === undefined) throw new DerError(`unknown responseStatus ${code}`);
    const rb = c.optional(contextTag(0, true));
    c.finish('OCSPResponse');
    if (!rb) {
      if (status === 'successful') throw new DerError('successful response without responseBytes');
      return { ok: true, value: { status } };
    }
    const bytes = DerCursor.inside(DerCursor.inside(rb).next(Tag.SEQUENCE, 'ResponseBytes'));
    const type = decodeOid(bytes.next(Tag.OID, 'responseType'));
    const inner = Buffer.from(nodeValue(bytes.next(Tag.OCTET_STRING, 'response')));
    bytes.finish('ResponseBytes');
    if (type !== OcspOid.basicResponse) return { ok: false, reason: 'unsupported-response-type', detail: `response type ${type}` };
    return { ok: true, value: { status, basic: parseBasic(inner) } };
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: e instanceof DerError ? e.message : `unparseable OCSP response (${e instanceof Error ? e.name : 'error'})` };
  }
}

export type OcspVerifyFailure =
  | 'malformed'
  | 'unsupported-response-type'
  | 'unsuccessful'
  | 'unknown-critical-extension'
  | 'responder-not-found'
  | 'responder-not-authorized'
  | 'bad-signature'
  | 'cert-not-in-response'
  | 'not-yet-valid'
  | 'expired'
  | 'nonce-mismatch';

export type OcspVerifyResult =
  | {
      ok: true;
      status: OcspCertStatus;
      thisUpdate: Date;
      nextUpdate?: Date;
      revocationTime?: Date;
      revocationReason?: number;
      signedBy: 'issuer' | 'delegated-responder';
    }
  | { ok: false; reason: OcspVerifyFailure; detail: string };

export interface OcspVerifyOptions {
  /** The CA that issued the certificate in question (its key signs, or certifies the responder). */
  issuer: ParsedCertificate;
  /** Serial of the certificate in question (ParsedCertificate.serialHex). */
  serialHex: string;
  now: Date;
  /** The request's nonce extnValue; a response carrying a different nonce is refused. */
  nonce?: Buffer;
  /** Refuse responses that do not echo the nonce (default false: many responders pre-sign, RFC 5019 §2.2.1). */
  requireNonce?: boolean;
  /** Tolerated clock difference (default 5 minutes). */
  maxSkewMs?: number;
  /** A response without nextUpdate is accepted only this long after its thisUpdate (default 1 hour). */
  maxAgeWithoutNextUpdateMs?: number;
}

function fail(reason: OcspVerifyFailure, detail: string): OcspVerifyResult {
  return { ok: false, reason, detail };
}

function identifies(rid: BasicOcspResponse['responderId'], cert: ParsedCertificate): boolean {
  // byKey: SHA-1 of the responder's subjectPublicKey BIT STRING value (RFC 6960 §4.2.1).
  if ('byName' in rid) return nameEquals(rid.byName, cert.subject);
  return createHash('sha1').update(subjectPublicKeyBits(cert)).digest().equals(rid.byKey);
}

/** RFC 6960 §4.2.2.2: a delegated responder is issued directly by the CA and carries id-kp-OCSPSigning. */
function delegationProblem(responder: ParsedCertificate, issuer: ParsedCertificate, now: Date): string | undefined {
  if (!nameEquals(responder.issuer, issuer.subject)) return `responder "${formatName(responder.subject)}" is not issued by "${formatName(issuer.subject)}"`;
  let signed = false;
  try {
    signed = verifyCertificateSignature(responder, issuer.publicKey);
  } catch {
    signed = false;
  }
  if (!signed) return `responder "${formatName(responder.subject)}" certificate is not signed by the issuing CA`;
  if (!responder.extKeyUsage?.includes(ExtKeyUsageOid.OCSPSigning)) return `responder "${formatName(responder.subject)}" lacks id-kp-OCSPSigning`;
  if (now < responder.notBefore || now > responder.notAfter) return `responder "${formatName(responder.subject)}" certificate is outside its validity period`;
  return undefined;
}

/**
 * Verifies a parsed OCSP response for one certificate. Checks, in order: responseStatus, critical
 * extensions, the signer (the issuer itself, or a delegated responder of §4.2.2.2 from `certs`
 * matching the ResponderID), the signature over ResponseData, the SingleResponse for this CertID
 * (compared with the response's own hash algorithm), its thisUpdate/nextUpdate against `now`
 * (§3.2 (5)(6), §4.2.2.1) and the nonce. The responder certificate's own revocation status is not
 * checked (id-pkix-ocsp-nocheck is the common practice, §4.2.2.2.1). Never throws.
 */
export function verifyOcspResponse(resp: ParsedOcspResponse, opts: OcspVerifyOptions): OcspVerifyResult {
  try {
    const { issuer, now } = opts;
    const skew = opts.maxSkewMs ?? 5 * 60_000;
    if (resp.status !== 'successful') return fail('unsuccessful', `responder answered ${resp.status}`);
    const basic = resp.basic;
    if (!basic) return fail('malformed', 'no BasicOCSPResponse');
    if (basic.unknownCriticalExtensions.length > 0) return fail('unknown-critical-extension', `critical extension(s) ${basic.unknownCriticalExtensions.join(', ')}`);

    let signer: ParsedCertificate | undefined;
    let signedBy: 'issuer' | 'delegated-responder' = 'issuer';
    if (identifies(basic.responderId, issuer)) signer = issuer;
    else {
      const named = basic.certs.filter((c) => identifies(basic.responderId, c));
      if (named.length === 0) return fail('responder-not-found', 'the ResponderID names neither the issuing CA nor an included certificate');
      const problems: string[] = [];
      for (const c of named) {
        const p = delegationProblem(c, issuer, now);
        if (p) problems.push(p);
        else {
          signer = c;
          signedBy = 'delegated-responder';
          break;
        }
      }
      if (!signer) return fail('responder-not-authorized', problems.join('; '));
    }
    if (!verifySignedData(basic.signatureAlgorithm, basic.tbs, basic.signature, signer.publicKey)) {
      return fail('bad-signature', `response signature does not verify with the key of "${formatName(signer.subject)}"`);
    }

    const single = basic.responses.find((r) => certIdEquals(r.certId, ocspCertId(issuer, opts.serialHex, r.certId.hash)));
    if (!single) return fail('cert-not-in-response', `no SingleResponse for serial ${opts.serialHex} of "${formatName(issuer.subject)}"`);
    if (single.hasUnknownCriticalExtension) return fail('unknown-critical-extension', 'SingleResponse has a critical extension');
    if (single.thisUpdate.getTime() > now.getTime() + skew) return fail('not-yet-valid', `thisUpdate ${single.thisUpdate.toISOString()} is in the future`);
    if (single.nextUpdate) {
      if (single.nextUpdate.getTime() < now.getTime() - skew) return fail('expired', `nextUpdate ${single.nextUpdate.toISOString()} has passed`);
    } else if (single.thisUpdate.getTime() < now.getTime() - (opts.maxAgeWithoutNextUpdateMs ?? 3_600_000)) {
      return fail('expired', `thisUpdate ${single.thisUpdate.toISOString()} is too old for a response without nextUpdate`);
    }
    if (opts.nonce && basic.nonce && !basic.nonce.equals(opts.nonce)) return fail('nonce-mismatch', 'the response nonce differs from the request nonce');
    if (opts.requireNonce && !basic.nonce) return fail('nonce-mismatch', 'the response does not echo the request nonce');

    const out: OcspVerifyResult = { ok: true, status: single.status, thisUpdate: single.thisUpdate, signedBy };
    if (single.nextUpdate) out.nextUpdate = single.nextUpdate;
    if (single.revocationTime) out.revocationTime = single.revocationTime;
    if (single.revocationReason !== undefined) out.revocationReason = single.revocationReason;
    return out;
  } catch (e) {
    return fail('malformed', `cannot verify OCSP response (${e instanceof Error ? e.name : 'error'})`);
  }
}

/** parseOcspResponse + verifyOcspResponse. Never throws. */
export function checkOcspResponse(data: Uint8Array, opts: OcspVerifyOptions): OcspVerifyResult {
  const parsed = parseOcspResponse(data);
  if (!parsed.ok) return fail(parsed.reason, parsed.detail);
  return verifyOcspResponse(parsed.value, opts);
}
