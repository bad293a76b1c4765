import { createHmac, createPrivateKey, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { parseCertificateDer, type LoadedCertificate } from '../certificate.js';
import { KeySourceError } from '../key-source-error.js';
import { children, DerLiteError, expectSequence, octets, oidText, readTlv, smallInt, type Tlv } from './der-lite.js';
import { bmpPassword, DIGEST_OIDS, pbeDecrypt, pkcs12Kdf, WrongPasswordError } from './pbe.js';

/** RFC 7292 / PKCS#7 object identifiers. */
const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
} as const;

/** What a PKCS#12 file holds for the helper: one key, its certificate, and the others. @internal */
export interface Pkcs12Contents {
  privateKey: KeyObject;
  certificate: LoadedCertificate;
  /** The other certificates, leaf's issuer first where it can be told, sent as the chain. */
  chain: LoadedCertificate[];
}

/** True when `bytes` look like a PFX (a DER SEQUENCE starting with INTEGER 3). @internal */
export function looksLikePkcs12(bytes: Buffer): boolean {
  try {
    const pfx = expectSequence(readTlv(bytes), 'PFX');
    return smallInt(pfx[0]) === 3 && pfx[1]?.tag === 0x30;
  } catch {
    return false;
  }
}

/**
 * Reads a PKCS#12 file (RFC 7292): verifies the MAC (§4, password-integrity mode), decrypts
 * bags protected with PBES2/AES (OpenSSL 3 default) or the legacy PKCS#12 PBEs (3DES, RC2-40,
 * OpenSSL `-legacy`), and picks the certificate whose public key matches the private key.
 * An empty password is tried both as the empty BMPString and as none (B.1 leaves it open).
 * Errors: `password-required` / `password-incorrect` (MAC mismatch), `certificate-invalid`.
 * @internal
 */
export function readPkcs12(bytes: Buffer, password: string): Pkcs12Contents {
  let keys: Buffer[];
  let certs: Buffer[];
  try {
    ({ keys, certs } = parse(bytes, password));
  } catch (err) {
    if (err instanceof KeySourceError) throw err;
    if (err instanceof WrongPasswordError) throw passwordError(password, err);
    throw new KeySourceError('certificate-invalid', `failed to read PKCS12 certificate: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (keys.length !== 1) {
    throw new KeySourceError('private-key-invalid', keys.length === 0 ? 'failed to read PKCS12 certificate: no private key in the file' : 'failed to read PKCS12 certificate: more than one private key in the file');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keys[0] as Buffer, format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new KeySourceError('private-key-invalid', 'could not parse private key', { cause: err });
  }
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const loaded = certs.map((der) => parseCertificateDer(der));
  const leaf = loaded.find((c) => c.x509.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
  if (leaf === undefined) throw new KeySourceError('key-certificate-mismatch', 'failed to read PKCS12 certificate: no certificate matches the private key');
  // Order the rest from the leaf upwards (issuer of the previous one), then whatever is left.
  const rest = loaded.filter((c) => c !== leaf);
  const chain: LoadedCertificate[] = [];
  for (let cur = leaf; ; ) {
    const issuer = rest.find((c) => !chain.includes(c) && cur.x509.checkIssued(c.x509) && c !== cur);
    if (issuer === undefined) break;
    chain.push(issuer);
    cur = issuer;
  }
  chain.push(...rest.filter((c) => !chain.includes(c)));
  return { privateKey, certificate: leaf, chain };
}

function passwordError(password: string, cause: unknown): KeySourceError {
  return password === ''
    ? new KeySourceError('password-required', 'the PKCS#12 file is password-protected; pass its password with --pkcs8-password', { cause })
    : new KeySourceError('password-incorrect', 'incorrect PKCS#12 password', { cause });
}

function parse(bytes: Buffer, password: string): { keys: Buffer[]; certs: Buffer[] } {
  const pfx = expectSequence(readTlv(bytes), 'PFX');
  if (smallInt(pfx[0]) !== 3) throw new DerLiteError('unsupported PFX version');
  const authSafe = dataContent(pfx[1]);
  const bmp = verifyMac(pfx[2], authSafe, password);
  const keys: Buffer[] = [];
  const certs: Buffer[] = [];
  for (const info of children(readTlv(authSafe).value)) {
    const [typeTlv, content] = expectSequence(info, 'ContentInfo');
    const type = oidText(typeTlv);
    if (type === OID.data) {
      collectBags(dataContent(info), password, bmp, keys, certs);
    } else if (type === OID.encryptedData) {
      // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo } (RFC 5652 §8)
      const [, eci] = expectSequence(explicit(content), 'EncryptedData');
      const [, algorithm, encrypted] = expectSequence(eci, 'EncryptedContentInfo');
      if (algorithm === undefined || encrypted === undefined) continue;
      collectBags(pbeDecrypt(algorithm, octets(encrypted), password, bmp), password, bmp, keys, certs);
    } else {
      throw new DerLiteError(`unsupported PKCS#12 content type ${type} (public-key privacy mode)`);
    }
  }
  return { keys, certs };
}

function collectBags(safeContents: Buffer, password: string, bmp: Buffer, keys: Buffer[], certs: Buffer[]): void {
  for (const bag of children(readTlv(safeContents).value)) {
    const [idTlv, valueTlv] = expectSequence(bag, 'SafeBag');
    const value = explicit(valueTlv);
    switch (oidText(idTlv)) {
      case OID.keyBag:
        keys.push(value.raw);
        break;
      case OID.shroudedKeyBag: {
        const [algorithm, encrypted] = expectSequence(value, 'EncryptedPrivateKeyInfo');
        if (algorithm === undefined) throw new DerLiteError('bad EncryptedPrivateKeyInfo');
        keys.push(pbeDecrypt(algorithm, octets(encrypted), password, bmp));
        break;
      }
      case OID.certBag: {
        const [certType, certValue] = expectSequence(value, 'CertBag');
        if (oidText(certType) === OID.x509Certificate) certs.push(octets(explicit(certValue)));
        break;
      }
      case OID.safeContentsBag:
        collectBags(value.raw, password, bmp, keys, certs);
        break;
      default:
        break; // CRL and secret bags are not needed
    }
  }
}

/**
 * RFC 7292 §4 / Appendix B: HMAC over the authSafe contents with a key from the PKCS#12 KDF
 * (ID 3). Returns the BMPString form that verified, for the legacy PBEs.
 */
function verifyMac(macData: Tlv | undefined, authSafe: Buffer, password: string): Buffer {
  const candidates = password === '' ? [bmpPassword(''), Buffer.alloc(0)] : [bmpPassword(password)];
  if (macData === undefined) return candidates[0] as Buffer;
  const [digestInfo, saltTlv, iterTlv] = expectSequence(macData, 'MacData');
  const [algorithm, digestTlv] = expectSequence(digestInfo, 'DigestInfo');
  const hashOid = oidText(expectSequence(algorithm, 'AlgorithmIdentifier')[0]);
  const hash = DIGEST_OIDS[hashOid];
  if (hash === undefined) throw new DerLiteError(`unsupported PKCS#12 MAC algorithm ${hashOid} (PBMAC1 is not supported)`);
  const expected = octets(digestTlv);
  const salt = octets(saltTlv);
  const iterations = iterTlv === undefined ? 1 : smallInt(iterTlv);
  for (const bmp of candidates) {
    const key = pkcs12Kdf(hash, bmp, salt, 3, iterations, expected.length);
    const mac = createHmac(hash, key).update(authSafe).digest();
    if (mac.length === expected.length && timingSafeEqual(mac, expected)) return bmp;
  }
  throw passwordError(password, undefined);
}

/** The OCTET STRING inside a `data` ContentInfo ([0] EXPLICIT). */
function dataContent(info: Tlv | undefined): Buffer {
  const [typeTlv, content] = expectSequence(info, 'ContentInfo');
  if (oidText(typeTlv) !== OID.data) throw new DerLiteError('expected a PKCS#7 data ContentInfo');
  return octets(explicit(content));
}

/** The single value inside a `[0] EXPLICIT` wrapper. */
function explicit(t: Tlv | undefined): Tlv {
  if (t === undefined || t.tag !== 0xa0) throw new DerLiteError('expected [0] EXPLICIT');
  const inner = children(t.value)[0];
  if (inner === undefined) throw new DerLiteError('empty [0] EXPLICIT');
  return inner;
}
