// PKCS#10 certificate signing requests (RFC 2986 §4), parsed by a short DER walk and verified:
// the CSR's signature proves the requester holds the private key of the key it asks us to certify.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { DerCursor, DerError, Tag, contextTag, decodeOidBytes, nodeBytes, nodeValue, parseName, pemBlocks, readTopLevel } from '@mooring/pki';
import type { Name, NameSpec } from '@mooring/pki';
import { PkiCommandError } from './pki-io.js';

export interface ParsedCsr {
  subject: Name;
  publicKey: KeyObject;
  /** True when the CSR carries a PKCS#9 extensionRequest; we never copy requested extensions. */
  requestsExtensions: boolean;
}

// Signature algorithms accepted on a CSR (RFC 8017 App. C, RFC 5758 §3.2). SHA-1/MD5 are refused
// for the same reason the service refuses them on certificates (service-spec §5).
const CSR_SIGNATURE_ALGORITHMS: Readonly<Record<string, { hash: string; key: 'rsa' | 'ec' }>> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', key: 'rsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', key: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', key: 'ec' },
};
const EXTENSION_REQUEST_OID = '1.2.840.113549.1.9.14'; // PKCS#9 (RFC 2985 §5.4.2)

function oidOf(n: ReturnType<DerCursor['next']>): string {
  if (n.tag !== Tag.OID) throw new DerError('expected an OBJECT IDENTIFIER');
  return decodeOidBytes(nodeValue(n));
}

/** Accepts PEM (`CERTIFICATE REQUEST` / `NEW CERTIFICATE REQUEST`) or DER. */
export function csrDer(input: Buffer): Buffer {
  const text = input.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const block = pemBlocks(text).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
    if (!block) throw new PkiCommandError('no CERTIFICATE REQUEST block found in the CSR file');
    return block.der;
  }
  return input;
}

/** Parses and verifies a CSR. Throws PkiCommandError with the reason; never includes key material. */
export function parseCsr(input: Buffer): ParsedCsr {
  const der = csrDer(input);
  let cri: Buffer;
  let subject: Name;
  let spki: Buffer;
  let algOid: string;
  let signature: Buffer;
  let requestsExtensions = false;
  try {
    // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
    const outer = DerCursor.inside(readTopLevel(der));
    const criNode = outer.next(Tag.SEQUENCE, 'certificationRequestInfo');
    const alg = DerCursor.inside(outer.next(Tag.SEQUENCE, 'signatureAlgorithm'));
    algOid = oidOf(alg.next(undefined, 'algorithm'));
    const sig = nodeValue(outer.next(Tag.BIT_STRING, 'signature'));
    outer.finish('CertificationRequest');
    if (sig.length < 2 || sig[0] !== 0) throw new DerError('signature must be whole octets');
    signature = sig.subarray(1);
    cri = nodeBytes(criNode);
    // CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name, subjectPKInfo, attributes [0] }
    const info = DerCursor.inside(criNode);
    const version = nodeValue(info.next(Tag.INTEGER, 'version'));
    if (version.length !== 1 || version[0] !== 0) throw new DerError('unsupported CSR version');
    subject = parseName(nodeBytes(info.next(Tag.SEQUENCE, 'subject')));
    spki = nodeBytes(info.next(Tag.SEQUENCE, 'subjectPKInfo'));
    const attrs = info.optional(contextTag(0, true));
    info.finish('CertificationRequestInfo');
    if (attrs) {
      const c = DerCursor.inside(attrs);
      while (!c.done) {
        const attr = DerCursor.inside(c.next(Tag.SEQUENCE, 'Attribute'));
        if (oidOf(attr.next(undefined, 'attribute type')) === EXTENSION_REQUEST_OID) requestsExtensions = true;
        attr.rest();
      }
    }
  } catch (e) {
    throw new PkiCommandError(`the CSR is not a valid PKCS#10 request (${e instanceof DerError ? e.message : 'unparseable'})`);
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new PkiCommandError('the CSR public key cannot be imported');
  }
  const alg = CSR_SIGNATURE_ALGORITHMS[algOid];
  if (!alg) throw new PkiCommandError(`the CSR is signed with algorithm ${algOid}; use SHA-256 or stronger with RSA or ECDSA`);
  if (publicKey.asymmetricKeyType !== alg.key) throw new PkiCommandError(`the CSR signature algorithm does not match its ${publicKey.asymmetricKeyType ?? 'unknown'} key`);
  // RFC 2986 §3 step 3: the signature over certificationRequestInfo, with the subject's own key.
  if (!cryptoVerify(alg.hash, cri, publicKey, signature)) throw new PkiCommandError('the CSR signature does not verify (proof of possession failed)');
  return { subject, publicKey, requestsExtensions };
}

/**
 * The key rule the service applies (service-spec §5; RSA >= 2048, EC P-256/P-384/P-521), checked
 * before issuing so we never sign a certificate CreateSession would refuse.
 */
export function checkSubjectKey(key: KeyObject): string | undefined {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    return (d.modulusLength ?? 0) >= 2048 ? undefined : `RSA key of ${d.modulusLength ?? 0} bits; at least 2048 required`;
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = d.namedCurve;
    return curve === 'prime256v1' || curve === 'secp384r1' || curve === 'secp521r1' ? undefined : `EC curve ${curve ?? '(unnamed)'}; use P-256, P-384 or P-521`;
  }
  return `${key.asymmetricKeyType ?? 'unknown'} keys are not supported; use RSA or EC`;
}

/** A parsed Name back to a NameSpec for the builder (values re-encoded as RFC 5280 requires). */
export function nameToSpec(name: Name): NameSpec {
  return name.rdns.map((rdn) =>
    rdn.map((a): [string, string] => {
      if (a.value.startsWith('#')) throw new PkiCommandError(`subject attribute ${a.shortName ?? a.oid} has a non-string value; pass --cn/--o/--ou instead`);
      return [a.oid, a.value];
    }),
  ).map((pairs) => (pairs.length === 1 ? pairs[0]! : pairs));
}
