import { createPublicKey, type KeyObject } from 'node:crypto';

/** Named curves by the DER of their OID (RFC 5480 §2.1.1.1), as found in CKA_EC_PARAMS. */
const CURVES: Record<string, { jwk: string; size: number }> = {
  '06082a8648ce3d030107': { jwk: 'P-256', size: 32 },
  '06052b81040022': { jwk: 'P-384', size: 48 },
  '06052b81040023': { jwk: 'P-521', size: 66 },
};

/**
 * ECDSA from a token is the raw concatenation r||s (PKCS#11 v2.40 §2.3.1); AWS4-X509-ECDSA
 * wants DER `SEQUENCE { INTEGER r, INTEGER s }` (RFC 3279 §2.2.3, signing-helper-spec §2.5).
 * @internal
 */
export function rawEcdsaToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error('bad ECDSA signature length');
  const half = raw.length / 2;
  const int = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    // INTEGER is signed (X.690 §8.3): a high bit needs a leading zero.
    const body = (v[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const seq = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  const len = seq.length < 0x80 ? Buffer.from([seq.length]) : Buffer.from([0x81, seq.length]);
  return Buffer.concat([Buffer.from([0x30]), len, seq]);
}

/**
 * An EC public key from CKA_EC_PARAMS and CKA_EC_POINT. The point is DER OCTET STRING-wrapped
 * per PKCS#11 v2.40 §2.3.3, though some tokens return it bare; both are accepted.
 * @internal
 */
export function ecPublicKeyFromPoint(params: Buffer, point: Buffer): KeyObject {
  const curve = CURVES[params.toString('hex')];
  if (curve === undefined) throw new Error('unsupported EC curve');
  let p = point;
  if (p[0] === 0x04 && p.length !== 1 + 2 * curve.size) p = p.subarray(p[1] === 0x81 ? 3 : 2);
  if (p[0] !== 0x04 || p.length !== 1 + 2 * curve.size) throw new Error('unsupported EC point encoding');
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: curve.jwk,
      x: p.subarray(1, 1 + curve.size).toString('base64url'),
      y: p.subarray(1 + curve.size).toString('base64url'),
    },
    format: 'jwk',
  });
}
