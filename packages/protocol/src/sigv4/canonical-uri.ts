import { isUnreservedByte, uriEncode } from './uri-encode.js';

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * True when canonicalUri(rawPath) is rawPath itself: it starts with '/', has no empty segment
 * ('//'), no '.' at all (so no dot segments) and only unreserved characters, which encoding
 * leaves alone. `/sessions` is such a path; anything else takes the general route.
 */
function isAlreadyCanonical(rawPath: string): boolean {
  if (rawPath.charCodeAt(0) !== SLASH) return false;
  let previous = SLASH;
  for (let i = 1; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c === SLASH) {
      if (previous === SLASH) return false;
    } else if (c === DOT || c >= 0x80 || !isUnreservedByte(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

/**
 * Canonical URI for every service except S3 (AWS SigV4 docs, "Create a canonical request":
 * "Normalize URI paths according to RFC 3986. Remove redundant and relative path components.
 * Each path segment must be URI-encoded twice").
 *
 * `rawPath` is the path as received, still percent-encoded; encoding it once more gives the
 * "twice" (a literal '%' becomes '%25'). Dot segments are removed as in RFC 3986 §5.2.4 and
 * empty segments (duplicate slashes) are dropped, exactly like botocore's `remove_dot_segments`
 * and smithy's `getCanonicalPath`, so signatures made by either verify here.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  if (isAlreadyCanonical(rawPath)) return rawPath;
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
