// AlgorithmIdentifier and SubjectPublicKeyInfo decoding (RFC 5280 §4.1.1.2, §4.1.2.7).
import {
  DerCursor, DerError, Tag, contextTag, decodeBitString, decodeOid, decodeSmallInteger, integerBytes, readTopLevel,
} from './der/der-reader.js';
import type { DerNode } from './der/der-reader.js';
import { CurveBits, CurveOid, HashOid, KeyAlgorithmOid, RSASSA_PSS_OID, SignatureAlgorithmOid } from './oids.js';
import type { HashName, SignatureScheme } from './oids.js';

export interface SignatureAlgorithm {
  oid: string;
  hash?: HashName;
  scheme: SignatureScheme;
  /** RSASSA-PSS only: salt length from the parameters (RFC 4055 §3.1, default 20). */
  pssSaltLength?: number;
}

export type KeyType = 'rsa' | 'ec' | 'ed25519' | 'other';

export interface PublicKeyInfo {
  keyType: KeyType;
  keyBits?: number;
  ecCurve?: string;
}

/** RFC 4055 §3.1 RSASSA-PSS-params; only the hash and salt length matter for verification. */
function parsePssParams(params: DerNode | undefined): { hash: HashName; saltLength: number } {
  let hash: HashName = 'sha1';
  let saltLength = 20;
  if (!params) return { hash, saltLength };
  const c = DerCursor.inside(params);
  const h = c.optional(contextTag(0, true));
  if (h) {
    const alg = DerCursor.inside(DerCursor.inside(h).next(Tag.SEQUENCE, 'hashAlgorithm'));
    const name = HashOid[decodeOid(alg.next(Tag.OID))];
    if (!name) throw new DerError('unsupported RSASSA-PSS hash');
    hash = name;
  }
  c.optional(contextTag(1, true)); // maskGenAlgorithm: MGF1 with the same hash in practice
  const s = c.optional(contextTag(2, true));
  if (s) saltLength = decodeSmallInteger(DerCursor.inside(s).next(Tag.INTEGER), 0xffff);
  c.optional(contextTag(3, true));
  c.finish('RSASSA-PSS-params');
  return { hash, saltLength };
}

/** Decodes a signature AlgorithmIdentifier node. Unknown algorithms yield scheme 'unknown', not an error. */
export function parseSignatureAlgorithm(n: DerNode): SignatureAlgorithm {
  const c = DerCursor.inside(n);
  const oid = decodeOid(c.next(Tag.OID, 'algorithm'));
  const params = c.done ? undefined : c.next();
  c.finish('AlgorithmIdentifier');
  if (oid === RSASSA_PSS_OID) {
    const p = parsePssParams(params && params.tag === Tag.SEQUENCE ? params : undefined);
    return { oid, hash: p.hash, scheme: 'rsa-pss', pssSaltLength: p.saltLength };
  }
  const known = SignatureAlgorithmOid[oid];
  if (!known) return { oid, scheme: 'unknown' };
  return known.hash ? { oid, hash: known.hash, scheme: known.scheme } : { oid, scheme: known.scheme };
}

function bitLength(magnitude: Buffer): number {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  if (i === magnitude.length) return 0;
  return (magnitude.length - i - 1) * 8 + (32 - Math.clz32(magnitude[i]!));
}

/** Key type and size from a SubjectPublicKeyInfo node, without importing the key. */
export function parsePublicKeyInfo(n: DerNode): PublicKeyInfo {
  const c = DerCursor.inside(n);
  const alg = DerCursor.inside(c.next(Tag.SEQUENCE, 'SPKI algorithm'));
  const oid = decodeOid(alg.next(Tag.OID, 'key algorithm'));
  const params = alg.done ? undefined : alg.next();
  alg.finish('SPKI algorithm');
  const key = decodeBitString(c.next(Tag.BIT_STRING, 'subjectPublicKey'));
  c.finish('SubjectPublicKeyInfo');
  if (key.unusedBits !== 0) throw new DerError('subjectPublicKey must be whole octets');

  if (oid === KeyAlgorithmOid.rsaEncryption || oid === KeyAlgorithmOid.rsassaPss) {
    // RFC 8017 App. A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
    const rsa = DerCursor.inside(readTopLevel(key.data));
    const modulus = integerBytes(rsa.next(Tag.INTEGER, 'modulus'));
    integerBytes(rsa.next(Tag.INTEGER, 'publicExponent'));
    rsa.finish('RSAPublicKey');
    return { keyType: 'rsa', keyBits: bitLength(modulus) };
  }
  if (oid === KeyAlgorithmOid.ecPublicKey) {
    // RFC 5480 §2.1.1: parameters are a namedCurve OID (implicit/specified curves are not allowed).
    if (!params || params.tag !== Tag.OID) return { keyType: 'ec' };
    const curveOid = decodeOid(params);
    const ecCurve = CurveOid[curveOid] ?? curveOid;
    const bits = CurveBits[ecCurve];
    return bits ? { keyType: 'ec', ecCurve, keyBits: bits } : { keyType: 'ec', ecCurve };
  }
  if (oid === KeyAlgorithmOid.ed25519) return { keyType: 'ed25519', keyBits: 256 };
  return { keyType: 'other' };
}

