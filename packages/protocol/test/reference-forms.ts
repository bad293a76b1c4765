// The straightforward forms of the hot-path helpers, as they were before they were tuned for
// speed (regexes, Object.entries scans, Map-based parameter parsing, Buffer copies). The
// fast-path tests run the tuned code and these side by side on tricky and random inputs and
// require identical results. Not a test file itself (no `.test.ts`).
import { createHash } from 'node:crypto';
import { percentDecodeBytes, uriEncode, uriEncodeBytes } from '../src/sigv4/uri-encode.js';
import type { CredentialScope, RawHttpRequest } from '../src/index.js';

type Headers = RawHttpRequest['headers'];

export function refHeaderValues(headers: Headers, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  return out;
}

export function refCanonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.replace(/^[ \t]+|[ \t]+$/g, '').replace(/ {2,}/g, ' ')).join(',');
}

export function refCanonicalHeaders(headers: Headers, signedHeaders: string[]):
  { ok: true; value: string } | { ok: false; reason: 'signed-header-missing'; header: string } {
  let out = '';
  for (const name of signedHeaders) {
    const lower = name.toLowerCase();
    const values = refHeaderValues(headers, lower);
    if (values.length === 0) return { ok: false, reason: 'signed-header-missing', header: lower };
    out += `${lower}:${refCanonicalHeaderValue(values)}\n`;
  }
  return { ok: true, value: out };
}

export function refCanonicalQuery(rawQuery: string): string {
  const q = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  if (q === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const component of q.split('&')) {
    if (component === '') continue;
    const eq = component.indexOf('=');
    const rawName = eq < 0 ? component : component.slice(0, eq);
    const rawValue = eq < 0 ? '' : component.slice(eq + 1);
    pairs.push([uriEncodeBytes(percentDecodeBytes(rawName, true)), uriEncodeBytes(percentDecodeBytes(rawValue, true))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

export function refCanonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const first = rawPath.startsWith('/') ? '/' : '';
  const last = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalised = first + segments.join('/') + last;
  return normalised === '' ? '/' : uriEncode(normalised, false);
}

export function refSha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('hex');
}

export function refDecodeStrictBase64(v: string): Buffer | undefined {
  if (v === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const padded = v.includes('=');
  if (padded ? v.length % 4 !== 0 : v.length % 4 === 1) return undefined;
  const out = Buffer.from(v, 'base64');
  return out.length === 0 ? undefined : out;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function refParseAmzDate(v: string): Date | undefined {
  const m = AMZ_DATE.exec(v);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d ||
    date.getUTCHours() !== h || date.getUTCMinutes() !== mi || date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return date;
}

export function refFormatAmzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const ALGORITHM = /^[A-Za-z0-9-]+$/;
const DATE8 = /^\d{8}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function refParseCredential(v: string): CredentialScope | undefined {
  const parts = v.split('/');
  if (parts.length !== 5) return undefined;
  const [id, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (id === '' || region === '' || service === '') return undefined;
  if (!DATE8.test(date) || terminator !== 'aws4_request') return undefined;
  return { id, date, region, service, terminator };
}

export function refParseAuthorization(header: string | string[] | undefined): unknown {
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
  const params = new Map<string, string>();
  for (const part of text.slice(space + 1).split(',')) {
    const item = part.trim();
    if (item === '') return { ok: false, reason: 'malformed' };
    const eq = item.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed' };
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (params.has(key)) return { ok: false, reason: 'malformed' };
    params.set(key, value);
  }
  const credential = params.get('Credential');
  const signed = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (params.size !== 3 || credential === undefined || signed === undefined || signature === undefined) {
    return { ok: false, reason: 'malformed' };
  }
  const scope = refParseCredential(credential);
  if (!scope) return { ok: false, reason: 'malformed' };
  const signedHeaders = signed.split(';').map((h) => h.toLowerCase());
  if (signedHeaders.some((h) => !HEADER_NAME.test(h))) return { ok: false, reason: 'malformed' };
  if (!HEX.test(signature)) return { ok: false, reason: 'malformed' };
  return { ok: true, value: { algorithm, credential: scope, signedHeaders, signature: signature.toLowerCase() } };
}

/** Deterministic PRNG (mulberry32) so a failing random case reproduces. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random string of up to `maxLen` pieces drawn from `alphabet` (pieces may be multi-character). */
export function randomString(rand: () => number, alphabet: readonly string[], maxLen: number): string {
  let s = '';
  const n = Math.floor(rand() * (maxLen + 1));
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)] as string;
  return s;
}
