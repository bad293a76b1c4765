import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { X509Signer } from '@mooring/protocol';
import { loadCertificate, loadCertificateChain, parseCertificateDer, type LoadedCertificate } from '../key-sources/certificate.js';
import { KeySourceError } from '../key-sources/key-source-error.js';
import { readMaterial } from '../key-sources/material.js';
import type { SigningIdentity, SigningIdentityOptions } from '../key-sources/signing-identity.js';
import { CK, ckr, DEFAULT_PKCS11_MODULE, describeCkr, loadPkcs11Module, type Pkcs11Api } from './pkcs11-module.js';
import { parsePkcs11Uri, type Pkcs11Uri } from './pkcs11-uri.js';
import { ecPublicKeyFromPoint, rawEcdsaToDer } from './ec-encoding.js';

interface Slot {
  handle: Buffer;
  token: { label: string; manufacturerID: string; model: string; serialNumber: string };
  info: { slotDescription: string; manufacturerID: string };
}

interface KeyCandidate {
  handle: Buffer;
  keyType: number;
  alwaysAuthenticate: boolean;
  id: Buffer | undefined;
}

/**
 * A signing identity whose private key stays on a PKCS#11 token (RFC 7512 URIs), matching
 * objects as the official helper does (signing-helper-spec §6.3, after
 * draft-woodhouse-cert-best-practice §8):
 * - certificate: a file if `--certificate` is a file, else searched in every matching slot
 *   without logging in, then, if nothing was found and exactly one slot matched, after login;
 * - key: in one slot (the certificate's when it matches), after login; each candidate signs a
 *   random probe that must verify with the certificate's public key; if a label search finds
 *   nothing the certificate's CKA_ID is tried;
 * - RSA signs with CKM_SHA256_RSA_PKCS (the token hashes), EC with CKM_ECDSA over a SHA-256
 *   digest computed here, its raw r||s converted to DER (PKCS#11 v2.40 §2.3.1, RFC 3279 §2.2.3).
 * The PIN comes from `pin-value`, `pin-source=file:…` (RFC 7512 §2.4), then `options.pkcs11Pin`
 * or `PKCS11_PIN`. Errors never contain the PIN.
 * @internal
 */
export async function openPkcs11Identity(options: SigningIdentityOptions): Promise<SigningIdentity> {
  const env = options.env ?? process.env;
  const keyId = typeof options.privateKey === 'string' ? options.privateKey : '';
  const certId = typeof options.certificate === 'string' ? options.certificate : '';
  const certUri = certId.startsWith('pkcs11:') ? parsePkcs11Uri(certId) : undefined;
  const keyUri = keyId.startsWith('pkcs11:') ? parsePkcs11Uri(keyId) : certUri;
  if (keyUri === undefined) throw new KeySourceError('pkcs11-failed', 'no pkcs11: URI given');
  const fileCert = certUri === undefined && certId !== '' ? loadCertificate(readMaterial(certId, 'certificate', env)) : undefined;
  const chain = options.intermediates !== undefined && options.intermediates.length > 0
    ? loadCertificateChain(readMaterial(options.intermediates, 'certificate chain', env))
    : [];

  const modulePath = nonEmpty(options.pkcs11Lib) ?? keyUri.query.get('module-path') ?? certUri?.query.get('module-path') ?? DEFAULT_PKCS11_MODULE;
  const p11 = await loadPkcs11Module(modulePath);
  const pin = pinFrom(keyUri) ?? (certUri !== undefined ? pinFrom(certUri) : undefined) ?? nonEmpty(options.pkcs11Pin) ?? nonEmpty(env.PKCS11_PIN);
  const slots = p11.C_GetSlotList(true).map((handle): Slot => ({ handle, token: trimmed(p11.C_GetTokenInfo(handle)), info: trimmed(p11.C_GetSlotInfo(handle)) }));

  let certificate = fileCert;
  let certSlot: Slot | undefined;
  let certCkaId: Buffer | undefined;
  if (certificate === undefined) {
    const found = findCertificate(p11, slots, certUri ?? keyUri, pin, options.requireCertificate !== false);
    if (found !== undefined) ({ certificate, slot: certSlot, id: certCkaId } = found);
  }
  if (certificate === undefined && options.requireCertificate !== false) throw new KeySourceError('certificate-invalid', 'undefined certificate value');

  const keySlots = slots.filter((s) => slotMatches(s, keyUri));
  const slot = certSlot !== undefined && keySlots.includes(certSlot) ? certSlot : keySlots.length === 1 ? keySlots[0] : undefined;
  if (slot === undefined) throw new KeySourceError(keySlots.length === 0 ? 'pkcs11-no-match' : 'pkcs11-ambiguous', 'Could not identify unique slot for PKCS#11 key');
  if (pin === undefined) throw new KeySourceError('pin-required', 'PKCS#11 user PIN required (pin-value, pin-source, PKCS11_PIN or a prompt)');
  const session = p11.C_OpenSession(slot.handle, CK.CKF_SERIAL_SESSION);
  try {
    login(p11, session, CK.CKU_USER, pin);
    const key = pickKey(p11, session, keyUri, certificate, certCkaId, options.reusePin === true ? pin : undefined);
    const publicKey = certificate?.x509.publicKey ?? tokenPublicKey(p11, session, key);
    const signer = tokenSigner(p11, session, key, options.reusePin === true ? pin : undefined);
    return {
      signer,
      certificate,
      chain,
      privateKey: undefined,
      publicKey,
      signWithDigest: async (data, digest) => signOnToken(p11, session, key, data, digest, options.reusePin === true ? pin : undefined),
      close: async () => {
        try {
          p11.C_CloseSession(session);
        } catch {
          // already closed
        }
      },
    };
  } catch (err) {
    p11.C_CloseSession(session);
    throw err;
  }
}

function findCertificate(
  p11: Pkcs11Api,
  slots: Slot[],
  uri: Pkcs11Uri,
  pin: string | undefined,
  required: boolean,
): { certificate: LoadedCertificate; slot: Slot; id: Buffer | undefined } | undefined {
  const matching = slots.filter((s) => slotMatches(s, uri));
  if (matching.length === 0) throw new KeySourceError('pkcs11-no-match', 'no matching slots');
  const search = (loggedIn: boolean) => {
    const found: Array<{ slot: Slot; der: Buffer; id: Buffer | undefined }> = [];
    for (const slot of matching) {
      const session = p11.C_OpenSession(slot.handle, CK.CKF_SERIAL_SESSION);
      try {
        if (loggedIn && pin !== undefined) login(p11, session, CK.CKU_USER, pin);
        for (const handle of findObjects(p11, session, CK.CKO_CERTIFICATE, uri.path.get('object'), uri.id)) {
          const attrs = p11.C_GetAttributeValue(session, handle, [{ type: CK.CKA_VALUE }, { type: CK.CKA_ID }]);
          found.push({ slot, der: attrs[0]?.value as Buffer, id: attrs[1]?.value as Buffer | undefined });
        }
      } finally {
        p11.C_CloseSession(session);
      }
    }
    return found;
  };
  let found = search(false);
  if (found.length === 0 && matching.length === 1) {
    if (pin === undefined) {
      if (!required) return undefined;
      throw new KeySourceError('pin-required', 'one matching slot, but no user PIN provided');
    }
    found = search(true);
  }
  if (found.length > 1) throw new KeySourceError('pkcs11-ambiguous', 'multiple matching certificates');
  const first = found[0];
  if (first === undefined) {
    if (!required) return undefined;
    throw new KeySourceError('pkcs11-no-match', 'no matching certificates');
  }
  return { certificate: parseCertificateDer(Buffer.from(first.der)), slot: first.slot, id: first.id };
}

function pickKey(
  p11: Pkcs11Api,
  session: Buffer,
  uri: Pkcs11Uri,
  certificate: LoadedCertificate | undefined,
  certCkaId: Buffer | undefined,
  contextPin: string | undefined,
): KeyCandidate {
  const label = uri.path.get('object');
  let candidates = keyCandidates(p11, session, label, uri.id);
  if (candidates.length === 0 && label !== undefined && certCkaId !== undefined) {
    candidates = keyCandidates(p11, session, undefined, certCkaId);
  }
  if (certificate === undefined) {
    if (candidates.length > 1) throw new KeySourceError('pkcs11-ambiguous', 'multiple matching private keys, but no certificate provided to match with');
    const only = candidates[0];
    if (only === undefined) throw new KeySourceError('pkcs11-no-match', 'unable to find matching private key');
    return only;
  }
  // Confirm the pairing by signing a probe (spec §6.3 step 4): labels and ids are only hints.
  const probe = randomBytes(32);
  for (const candidate of candidates) {
    const sig = signOnToken(p11, session, candidate, probe, 'sha256', contextPin);
    if (verify('sha256', probe, { key: certificate.x509.publicKey, dsaEncoding: 'der' }, sig)) return candidate;
  }
  throw new KeySourceError('pkcs11-no-match', 'unable to find matching private key');
}

function keyCandidates(p11: Pkcs11Api, session: Buffer, label: string | undefined, id: Buffer | undefined): KeyCandidate[] {
  return findObjects(p11, session, CK.CKO_PRIVATE_KEY, label, id).flatMap((handle) => {
    const [type, always, ckaId] = p11.C_GetAttributeValue(session, handle, [{ type: CK.CKA_KEY_TYPE }, { type: CK.CKA_ALWAYS_AUTHENTICATE }, { type: CK.CKA_ID }]);
    const keyType = ulong(type?.value);
    if (keyType !== CK.CKK_RSA && keyType !== CK.CKK_EC) return []; // no AWS4-X509 algorithm for others
    return [{ handle, keyType, alwaysAuthenticate: bool(always?.value), id: ckaId?.value as Buffer | undefined }];
  });
}

function tokenSigner(p11: Pkcs11Api, session: Buffer, key: KeyCandidate, contextPin: string | undefined): X509Signer {
  return {
    algorithm: key.keyType === CK.CKK_RSA ? 'AWS4-X509-RSA-SHA256' : 'AWS4-X509-ECDSA-SHA256',
    sign: async (data) => signOnToken(p11, session, key, Buffer.from(data), 'sha256', contextPin),
  };
}

const RSA_MECHANISMS = { sha256: CK.CKM_SHA256_RSA_PKCS, sha384: CK.CKM_SHA384_RSA_PKCS, sha512: CK.CKM_SHA512_RSA_PKCS } as const;

function signOnToken(
  p11: Pkcs11Api,
  session: Buffer,
  key: KeyCandidate,
  data: Uint8Array,
  digest: 'sha256' | 'sha384' | 'sha512',
  contextPin: string | undefined,
): Buffer {
  const rsa = key.keyType === CK.CKK_RSA;
  try {
    p11.C_SignInit(session, { mechanism: rsa ? RSA_MECHANISMS[digest] : CK.CKM_ECDSA }, key.handle);
  } catch (err) {
    throw new KeySourceError('pkcs11-failed', `signing initiation failed (${describeCkr(err)})`, { cause: err });
  }
  if (key.alwaysAuthenticate) {
    // CKA_ALWAYS_AUTHENTICATE keys need a CKU_CONTEXT_SPECIFIC login after C_SignInit
    // (PKCS#11 v2.40 §4.9); as the official helper, only with --reuse-pin (no prompt here).
    if (contextPin === undefined) throw new KeySourceError('pin-required', 'the PKCS#11 key needs a context-specific PIN; use --reuse-pin');
    login(p11, session, CK.CKU_CONTEXT_SPECIFIC, contextPin);
  }
  try {
    const input = rsa ? Buffer.from(data) : createHash(digest).update(data).digest();
    const out = p11.C_Sign(session, input, Buffer.alloc(1024));
    return rsa ? Buffer.from(out) : rawEcdsaToDer(out);
  } catch (err) {
    throw new KeySourceError('pkcs11-failed', `signing failed (${describeCkr(err)})`, { cause: err });
  }
}

/** The public key of a token key, from its CKO_PUBLIC_KEY twin (same CKA_ID) or its own attributes. */
function tokenPublicKey(p11: Pkcs11Api, session: Buffer, key: KeyCandidate): KeyObject {
  const twins = key.id !== undefined ? findObjects(p11, session, CK.CKO_PUBLIC_KEY, undefined, key.id) : [];
  for (const handle of [...twins, key.handle]) {
    try {
      if (key.keyType === CK.CKK_RSA) {
        const [n, e] = p11.C_GetAttributeValue(session, handle, [{ type: CK.CKA_MODULUS }, { type: CK.CKA_PUBLIC_EXPONENT }]);
        return createPublicKey({ key: { kty: 'RSA', n: (n?.value as Buffer).toString('base64url'), e: (e?.value as Buffer).toString('base64url') }, format: 'jwk' });
      }
      const [params, point] = p11.C_GetAttributeValue(session, handle, [{ type: CK.CKA_EC_PARAMS }, { type: CK.CKA_EC_POINT }]);
      return ecPublicKeyFromPoint(params?.value as Buffer, point?.value as Buffer);
    } catch {
      // try the next object
    }
  }
  throw new KeySourceError('pkcs11-no-match', 'unable to read the public key of the PKCS#11 key');
}

function findObjects(p11: Pkcs11Api, session: Buffer, cls: number, label: string | undefined, id: Buffer | undefined): Buffer[] {
  const template: Array<{ type: number; value?: unknown }> = [{ type: CK.CKA_CLASS, value: cls }];
  if (label !== undefined) template.push({ type: CK.CKA_LABEL, value: label });
  if (id !== undefined) template.push({ type: CK.CKA_ID, value: id });
  p11.C_FindObjectsInit(session, template);
  try {
    return p11.C_FindObjects(session, 64);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

function login(p11: Pkcs11Api, session: Buffer, userType: number, pin: string): void {
  try {
    p11.C_Login(session, userType, pin);
  } catch (err) {
    if (ckr(err) === CK.CKR_USER_ALREADY_LOGGED_IN) return;
    const code = ckr(err) === CK.CKR_PIN_INCORRECT ? 'pin-incorrect' : 'pkcs11-failed';
    throw new KeySourceError(code, `user authentication failed (${describeCkr(err)})`, { cause: err });
  }
}

/** RFC 7512 §2.3 slot/token attributes; absent attributes match anything. */
function slotMatches(slot: Slot, uri: Pkcs11Uri): boolean {
  const checks: Array<[string, string]> = [
    ['token', slot.token.label],
    ['manufacturer', slot.token.manufacturerID],
    ['model', slot.token.model],
    ['serial', slot.token.serialNumber],
    ['slot-description', slot.info.slotDescription],
    ['slot-manufacturer', slot.info.manufacturerID],
  ];
  if (uri.path.has('slot-id') && uri.path.get('slot-id') !== slotId(slot.handle)) return false;
  return checks.every(([name, value]) => !uri.path.has(name) || uri.path.get(name) === value);
}

/** CK_SLOT_ID as decimal: pkcs11js hands it over as a native-endian CK_ULONG buffer. */
function slotId(handle: Buffer): string {
  let n = 0n;
  for (let i = handle.length - 1; i >= 0; i--) n = n * 256n + BigInt(handle[i] as number);
  return n.toString();
}

function pinFrom(uri: Pkcs11Uri): string | undefined {
  const value = uri.query.get('pin-value');
  if (value !== undefined) return value;
  const source = uri.query.get('pin-source');
  if (source === undefined) return undefined;
  // RFC 7512 §2.4: pin-source is a URI; `file:` (or a bare path) names a file holding the PIN.
  const path = source.startsWith('file://') ? source.slice(7) : source.startsWith('file:') ? source.slice(5) : source;
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (err) {
    throw new KeySourceError('read-failed', `unable to read the PKCS#11 PIN from pin-source ${path} (${(err as NodeJS.ErrnoException).code ?? 'read error'})`, { cause: err });
  }
}

function trimmed<T extends object>(info: T): T {
  return Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\s\0]+$/, '') : v])) as T;
}

function ulong(v: unknown): number {
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return v.length >= 4 ? v.readUInt32LE(0) : (v[0] ?? -1);
  return -1;
}

function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return Buffer.isBuffer(v) ? v[0] === 1 : false;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
