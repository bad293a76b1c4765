import { KeySourceError } from '../key-sources/key-source-error.js';

/** A parsed `pkcs11:` URI (RFC 7512). Values are percent-decoded. @internal */
export interface Pkcs11Uri {
  /** Path attributes (RFC 7512 §2.3): token, manufacturer, serial, model, object, type, slot-*, … */
  path: Map<string, string>;
  /** `id` as raw bytes (§2.3: "id" is a percent-encoded byte string). */
  id: Buffer | undefined;
  /** Query attributes (§2.4): pin-value, pin-source, module-name, module-path. */
  query: Map<string, string>;
}

/** Path attributes RFC 7512 §2.3 defines (and `slot-*` from RFC 7512 erratum / p11-kit). */
const PATH_ATTRIBUTES = new Set([
  'token', 'manufacturer', 'serial', 'model', 'library-manufacturer', 'library-description', 'library-version',
  'object', 'type', 'id', 'slot-description', 'slot-manufacturer', 'slot-id',
]);

/**
 * Parses an RFC 7512 PKCS#11 URI: `pkcs11:` path attributes separated by `;`, then an optional
 * `?` query with `&`-separated attributes. Unknown path attributes are refused (§2.3 says a
 * consumer must not ignore ones it does not understand, or it could match the wrong object);
 * unknown query attributes are ignored (§2.4 allows vendor ones).
 * @internal
 */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (!uri.startsWith('pkcs11:')) throw invalid('it does not start with pkcs11:');
  const body = uri.slice('pkcs11:'.length);
  const q = body.indexOf('?');
  const pathText = q < 0 ? body : body.slice(0, q);
  const queryText = q < 0 ? '' : body.slice(q + 1);
  const path = new Map<string, string>();
  let id: Buffer | undefined;
  for (const part of pathText === '' ? [] : pathText.split(';')) {
    const [name, raw] = splitAttribute(part);
    if (!PATH_ATTRIBUTES.has(name)) throw invalid(`unknown path attribute "${name}"`);
    if (path.has(name)) throw invalid(`duplicate attribute "${name}"`);
    const bytes = percentDecode(raw);
    if (name === 'id') id = bytes;
    path.set(name, bytes.toString('utf8'));
  }
  const query = new Map<string, string>();
  for (const part of queryText === '' ? [] : queryText.split('&')) {
    const [name, raw] = splitAttribute(part);
    if (query.has(name)) throw invalid(`duplicate attribute "${name}"`);
    query.set(name, percentDecode(raw).toString('utf8'));
  }
  return { path, id, query };
}

/** The URI without secrets, for messages (`pin-value` removed). @internal */
export function redactPkcs11Uri(uri: string): string {
  return uri.replace(/([?&])pin-value=[^&]*/g, '$1pin-value=***');
}

function splitAttribute(part: string): [string, string] {
  const eq = part.indexOf('=');
  if (eq <= 0) throw invalid(`malformed attribute "${part.split('=')[0] ?? ''}"`);
  return [part.slice(0, eq), part.slice(eq + 1)];
}

/** RFC 3986 §2.1 percent-decoding into bytes. */
function percentDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw invalid('bad percent-encoding');
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(out);
}

function invalid(why: string): KeySourceError {
  return new KeySourceError('pkcs11-failed', `invalid PKCS#11 URI: ${why}`);
}
