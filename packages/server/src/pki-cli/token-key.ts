// A CA key on a PKCS#11 token for `mooring pki init-ca --key-uri`: an existing private key object
// named by the URI is used; otherwise a key pair is generated ON the token, sensitive and not
// extractable, so the private key never exists outside it (PKCS#11 v2.40 §4.9 CKA_SENSITIVE,
// CKA_EXTRACTABLE).
import { randomBytes } from 'node:crypto';
import type { Pkcs11Api, Pkcs11Uri } from '@mooring/client';
import { readPinSource } from './ca-signer.js';
import type { CliKeySpec } from './cli-options.js';
import { PkiCommandError, UsageError } from './pki-io.js';

/** pkcs11js calls used only here (generation); the rest is the helper's Pkcs11Api. */
interface Pkcs11Admin extends Pkcs11Api {
  C_GenerateKeyPair(
    session: Buffer,
    mechanism: { mechanism: number },
    publicTemplate: Array<{ type: number; value?: unknown }>,
    privateTemplate: Array<{ type: number; value?: unknown }>,
  ): { publicKey: Buffer; privateKey: Buffer };
  C_Logout(session: Buffer): void;
}

/** PKCS#11 v2.40 constants (pkcs11t.h) the helper's table does not carry. */
const P11 = {
  CKF_RW_SESSION: 0x2,
  CKF_SERIAL_SESSION: 0x4,
  CKU_USER: 1,
  CKO_PRIVATE_KEY: 3,
  CKA_CLASS: 0x0,
  CKA_TOKEN: 0x1,
  CKA_PRIVATE: 0x2,
  CKA_LABEL: 0x3,
  CKA_ID: 0x102,
  CKA_SENSITIVE: 0x103,
  CKA_SIGN: 0x108,
  CKA_VERIFY: 0x10a,
  CKA_MODULUS_BITS: 0x121,
  CKA_PUBLIC_EXPONENT: 0x122,
  CKA_EXTRACTABLE: 0x162,
  CKA_EC_PARAMS: 0x180,
  CKM_RSA_PKCS_KEY_PAIR_GEN: 0x0,
  CKM_EC_KEY_PAIR_GEN: 0x1040,
  CKR_USER_ALREADY_LOGGED_IN: 0x100,
} as const;

/** CKA_EC_PARAMS: the DER OID of the named curve (RFC 5480 §2.1.1.1). */
const EC_PARAMS: Record<string, string> = {
  p256: '06082a8648ce3d030107',
  p384: '06052b81040022',
  p521: '06052b81040023',
};

export interface TokenKeyResult {
  /** true when the key pair was generated now; false when an existing key object is used. */
  generated: boolean;
  /** Non-fatal observations (e.g. an existing key that is extractable). */
  warnings: string[];
}

function trim(s: string): string {
  return s.replace(/[\s\0]+$/, '');
}

/** RFC 7512 §2.3 token attributes; an absent attribute matches any token. */
function tokenMatches(p11: Pkcs11Api, slot: Buffer, uri: Pkcs11Uri): boolean {
  const t = p11.C_GetTokenInfo(slot);
  const checks: Array<[string, string]> = [['token', t.label], ['manufacturer', t.manufacturerID], ['model', t.model], ['serial', t.serialNumber]];
  return checks.every(([name, value]) => !uri.path.has(name) || uri.path.get(name) === trim(value));
}

/**
 * Makes sure the private key named by `uri` exists on its token: finds it, or generates it with
 * `spec`. The caller then opens it for signing (tokenCaSigner). The PIN is never put in a message.
 */
export async function ensureTokenKey(opts: { uri: string; pkcs11Lib?: string; pin?: string; env: Record<string, string | undefined>; spec: CliKeySpec }): Promise<TokenKeyResult> {
  const { DEFAULT_MODULE, describe, loadPkcs11Module, parsePkcs11Uri, redactPkcs11Uri } = await clientPkcs11();
  let uri: Pkcs11Uri;
  try {
    uri = parsePkcs11Uri(opts.uri);
  } catch (e) {
    throw new UsageError(`--key-uri: ${(e as Error).message}`);
  }
  const shown = redactPkcs11Uri(opts.uri);
  const label = uri.path.get('object');
  // Without a label or an id the key could not be found again by later `issue`/`crl` runs.
  if (label === undefined && uri.id === undefined) throw new UsageError(`--key-uri must name the key with object=LABEL and/or id=… (got ${shown})`);
  const pin = uri.query.get('pin-value') ?? opts.pin ?? (uri.query.has('pin-source') ? undefined : opts.env.PKCS11_PIN);
  if (pin === undefined && !uri.query.has('pin-source')) throw new PkiCommandError('the token user PIN is needed: --pin-source file:PATH|env:NAME, or PKCS11_PIN');

  let p11: Pkcs11Admin;
  try {
    p11 = (await loadPkcs11Module(opts.pkcs11Lib ?? uri.query.get('module-path') ?? DEFAULT_MODULE)) as Pkcs11Admin;
  } catch (e) {
    throw new PkiCommandError((e as Error).message);
  }
  const slots = p11.C_GetSlotList(true).filter((s) => tokenMatches(p11, s, uri));
  if (slots.length !== 1) throw new PkiCommandError(`${shown}: ${slots.length === 0 ? 'no token matches' : 'more than one token matches'}; name it with token=LABEL (or serial=…)`);

  // pin-source in the URI is read by the helper's code at signing time; generation needs it now.
  const userPin = pin ?? pinFromUriSource(uri);
  const session = p11.C_OpenSession(slots[0]!, P11.CKF_SERIAL_SESSION | P11.CKF_RW_SESSION);
  try {
    try {
      p11.C_Login(session, P11.CKU_USER, userPin);
    } catch (e) {
      if ((e as { code?: unknown }).code !== P11.CKR_USER_ALREADY_LOGGED_IN) throw new PkiCommandError(`${shown}: login failed (${describe(e)})`);
    }
    const find: Array<{ type: number; value?: unknown }> = [{ type: P11.CKA_CLASS, value: P11.CKO_PRIVATE_KEY }];
    if (label !== undefined) find.push({ type: P11.CKA_LABEL, value: label });
    if (uri.id !== undefined) find.push({ type: P11.CKA_ID, value: uri.id });
    p11.C_FindObjectsInit(session, find);
    let existing: Buffer[];
    try {
      existing = p11.C_FindObjects(session, 2);
    } finally {
      p11.C_FindObjectsFinal(session);
    }
    if (existing.length > 1) throw new PkiCommandError(`${shown}: more than one private key matches; add id=… to the URI`);
    if (existing.length === 1) {
      const [extractable] = p11.C_GetAttributeValue(session, existing[0]!, [{ type: P11.CKA_EXTRACTABLE }]);
      const v = extractable?.value;
      const canExport = v === true || (Buffer.isBuffer(v) && v[0] === 1);
      return { generated: false, warnings: canExport ? [`the existing key ${shown} is extractable (CKA_EXTRACTABLE true): it can be copied off the token`] : [] };
    }

    // A fresh CKA_ID pairs the public and private objects, so the public half can be found by id.
    const id = uri.id ?? randomBytes(16);
    const common = [{ type: P11.CKA_TOKEN, value: true }, { type: P11.CKA_ID, value: id }, ...(label !== undefined ? [{ type: P11.CKA_LABEL, value: label }] : [])];
    const privateTemplate = [
      ...common,
      { type: P11.CKA_PRIVATE, value: true },
      { type: P11.CKA_SIGN, value: true },
      // Never leaves the token in plaintext, and never wrapped out either (PKCS#11 v2.40 §4.9).
      { type: P11.CKA_SENSITIVE, value: true },
      { type: P11.CKA_EXTRACTABLE, value: false },
    ];
    const rsa = opts.spec.startsWith('rsa');
    const publicTemplate = [
      ...common,
      { type: P11.CKA_VERIFY, value: true },
      ...(rsa
        ? [{ type: P11.CKA_MODULUS_BITS, value: Number(opts.spec.slice(3)) }, { type: P11.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }]
        : [{ type: P11.CKA_EC_PARAMS, value: Buffer.from(EC_PARAMS[opts.spec]!, 'hex') }]),
    ];
    try {
      p11.C_GenerateKeyPair(session, { mechanism: rsa ? P11.CKM_RSA_PKCS_KEY_PAIR_GEN : P11.CKM_EC_KEY_PAIR_GEN }, publicTemplate, privateTemplate);
    } catch (e) {
      throw new PkiCommandError(`${shown}: key generation on the token failed (${describe(e)})`);
    }
    return { generated: true, warnings: [] };
  } finally {
    try {
      p11.C_CloseSession(session);
    } catch {
      // already closed
    }
  }
}

function pinFromUriSource(uri: Pkcs11Uri): string {
  const source = uri.query.get('pin-source')!;
  return readPinSource(source.startsWith('file:') ? source : `file:${source}`, {}) ?? '';
}

async function clientPkcs11() {
  // Loaded lazily: `mooring pki` without --key-uri never touches the helper's PKCS#11 code.
  const c = await import('@mooring/client');
  return { DEFAULT_MODULE: 'p11-kit-proxy.so', describe: c.describeCkr, loadPkcs11Module: c.loadPkcs11Module, parsePkcs11Uri: c.parsePkcs11Uri, redactPkcs11Uri: c.redactPkcs11Uri };
}
