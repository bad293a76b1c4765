import type { CredentialScope, ParsedAuthorization } from './types.js';

export type ParseAuthorizationResult =
  | { ok: true; value: ParsedAuthorization }
  | { ok: false; reason: 'missing' | 'duplicated' | 'malformed' };

const ALGORITHM = /^[A-Za-z0-9-]+$/;
const DATE8 = /^\d{8}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const LOWER_HEX = /^(?:[0-9a-f]{2})+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 §5.6.2 token

/**
 * Parses `<ALG> Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b,
 * Signature=<hex>` (AWS SigV4 docs, "Add the signature to the request"; signing-helper-spec
 * §2.6). Separators may be ',' or ', ' with extra spaces; the three parameters must each
 * appear exactly once, in any order, and nothing else may appear.
 *
 * A header value given as an array means the header was repeated on the wire, which is
 * rejected rather than guessing which copy is meant.
 */
export function parseAuthorization(header: string | string[] | undefined): ParseAuthorizationResult {
  if (header === undefined) return { ok: false, reason: 'missing' };
  let text: string;
  if (Array.isArray(header)) {
    if (header.length === 0) return { ok: false, reason: 'missing' };
    if (header.length > 1) return { ok: false, reason: 'duplicated' };
    text = header[0] as string;
  } else {
    text = header;
  }
  text = text.trim();
  if (text === '') return { ok: false, reason: 'missing' };

  const space = text.indexOf(' ');
  if (space < 0) return { ok: false, reason: 'malformed' };
  const algorithm = text.slice(0, space);
  if (!ALGORITHM.test(algorithm)) return { ok: false, reason: 'malformed' };

  // The three parameters, each allowed once; any other name is malformed. Parts are the
  // ','-separated pieces of the rest, empty ones included, exactly as split(',') gives them.
  let credential: string | undefined;
  let signed: string | undefined;
  let signature: string | undefined;
  for (let from = space + 1; ;) {
    const comma = text.indexOf(',', from);
    const item = text.slice(from, comma < 0 ? text.length : comma).trim();
    if (item === '') return { ok: false, reason: 'malformed' };
    const eq = item.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed' };
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 'Credential' && credential === undefined) credential = value;
    else if (key === 'SignedHeaders' && signed === undefined) signed = value;
    else if (key === 'Signature' && signature === undefined) signature = value;
    else return { ok: false, reason: 'malformed' };
    if (comma < 0) break;
    from = comma + 1;
  }
  if (credential === undefined || signed === undefined || signature === undefined) {
    return { ok: false, reason: 'malformed' };
  }

  const scope = parseCredential(credential);
  if (!scope) return { ok: false, reason: 'malformed' };
  const signedHeaders = signed.split(';');
  for (let i = 0; i < signedHeaders.length; i++) {
    const h = (signedHeaders[i] as string).toLowerCase();
    if (!HEADER_NAME.test(h)) return { ok: false, reason: 'malformed' };
    signedHeaders[i] = h;
  }
  // Signers emit lower-case hex; only other input needs the general check and lower-casing
  // (toLowerCase copies all 512 characters of an RSA-2048 signature even when nothing changes).
  let hex = signature;
  if (!LOWER_HEX.test(hex)) {
    if (!HEX.test(hex)) return { ok: false, reason: 'malformed' };
    hex = hex.toLowerCase();
  }

  return {
    ok: true,
    value: { algorithm, credential: scope, signedHeaders, signature: hex },
  };
}

function parseCredential(v: string): CredentialScope | undefined {
  const parts = v.split('/');
  if (parts.length !== 5) return undefined;
  const [id, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (id === '' || region === '' || service === '') return undefined;
  if (!DATE8.test(date) || terminator !== 'aws4_request') return undefined;
  return { id, date, region, service, terminator };
}

/** The exact layout the AWS SDKs and the Go helper emit: parameters separated by ", ". */
export function formatAuthorization(a: ParsedAuthorization): string {
  const c = a.credential;
  return (
    `${a.algorithm} Credential=${c.id}/${c.date}/${c.region}/${c.service}/${c.terminator}, ` +
    `SignedHeaders=${a.signedHeaders.join(';')}, Signature=${a.signature}`
  );
}
