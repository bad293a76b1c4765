import { KeySourceError } from '../key-sources/key-source-error.js';

/** The slice of pkcs11js (an optional dependency) this package uses. @internal */
export interface Pkcs11Api {
  load(path: string): void;
  C_Initialize(): void;
  C_GetSlotList(tokenPresent?: boolean): Buffer[];
  C_GetSlotInfo(slot: Buffer): { slotDescription: string; manufacturerID: string };
  C_GetTokenInfo(slot: Buffer): { label: string; manufacturerID: string; model: string; serialNumber: string };
  C_OpenSession(slot: Buffer, flags: number): Buffer;
  C_CloseSession(session: Buffer): void;
  C_Login(session: Buffer, userType: number, pin?: string): void;
  C_FindObjectsInit(session: Buffer, template: Array<{ type: number; value?: unknown }>): void;
  C_FindObjects(session: Buffer, max: number): Buffer[];
  C_FindObjectsFinal(session: Buffer): void;
  C_GetAttributeValue(session: Buffer, object: Buffer, template: Array<{ type: number }>): Array<{ type: number; value?: unknown }>;
  C_SignInit(session: Buffer, mechanism: { mechanism: number }, key: Buffer): void;
  C_Sign(session: Buffer, data: Buffer, out: Buffer): Buffer;
}

/** PKCS#11 v2.40 constants (pkcs11t.h), fixed by the standard. @internal */
export const CK = {
  CKF_SERIAL_SESSION: 0x4,
  CKU_USER: 1,
  CKU_CONTEXT_SPECIFIC: 2,
  CKO_CERTIFICATE: 1,
  CKO_PUBLIC_KEY: 2,
  CKO_PRIVATE_KEY: 3,
  CKA_CLASS: 0x0,
  CKA_LABEL: 0x3,
  CKA_VALUE: 0x11,
  CKA_KEY_TYPE: 0x100,
  CKA_ID: 0x102,
  CKA_MODULUS: 0x120,
  CKA_PUBLIC_EXPONENT: 0x122,
  CKA_EC_PARAMS: 0x180,
  CKA_EC_POINT: 0x181,
  CKA_ALWAYS_AUTHENTICATE: 0x202,
  CKK_RSA: 0x0,
  CKK_EC: 0x3,
  CKM_SHA256_RSA_PKCS: 0x40,
  CKM_SHA384_RSA_PKCS: 0x41,
  CKM_SHA512_RSA_PKCS: 0x42,
  CKM_ECDSA: 0x1041,
  CKR_PIN_INCORRECT: 0xa0,
  CKR_USER_ALREADY_LOGGED_IN: 0x100,
  CKR_CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

/** The default module of the official helper on Linux (p11-kit's proxy to every configured module). */
export const DEFAULT_PKCS11_MODULE = 'p11-kit-proxy.so';

const loaded = new Map<string, Pkcs11Api>();

/**
 * Loads and initialises a PKCS#11 module once per process. `pkcs11js` is required here and
 * only here, so the helper starts and works without it unless a `pkcs11:` URI is used.
 * Modules are not finalised: `serve` re-opens the identity at every refresh, and C_Initialize
 * may be called only once per process per module (PKCS#11 v2.40 §5.4).
 * @internal
 */
export async function loadPkcs11Module(path: string): Promise<Pkcs11Api> {
  const cached = loaded.get(path);
  if (cached !== undefined) return cached;
  let binding: { PKCS11: new () => Pkcs11Api };
  try {
    const imported = (await import('pkcs11js')) as unknown as { PKCS11?: new () => Pkcs11Api; default?: { PKCS11: new () => Pkcs11Api } };
    binding = imported.PKCS11 !== undefined ? { PKCS11: imported.PKCS11 } : (imported.default as { PKCS11: new () => Pkcs11Api });
  } catch (err) {
    throw new KeySourceError(
      'pkcs11-unavailable',
      'PKCS#11 support needs the optional dependency pkcs11js, which is not installed (npm install pkcs11js)',
      { cause: err },
    );
  }
  const api = new binding.PKCS11();
  try {
    api.load(path);
  } catch (err) {
    throw new KeySourceError('pkcs11-unavailable', `Failed to load provider library ${path}`, { cause: err });
  }
  try {
    api.C_Initialize();
  } catch (err) {
    if (ckr(err) !== CK.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new KeySourceError('pkcs11-failed', `PKCS#11 C_Initialize failed (${describeCkr(err)})`, { cause: err });
    }
  }
  loaded.set(path, api);
  return api;
}

/** The CK_RV of a pkcs11js error, if any. @internal */
export function ckr(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** `CKR_…` text of a pkcs11js error (its message starts with the CKR name). @internal */
export function describeCkr(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /CKR_[A-Z_]+/.exec(message)?.[0] ?? message;
}
