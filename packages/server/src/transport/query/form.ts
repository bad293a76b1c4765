/**
 * application/x-www-form-urlencoded parsing (WHATWG URL §5.1), strict where the WHATWG
 * parser is lenient: a malformed percent-escape, invalid UTF-8 or a repeated name rejects the
 * whole request instead of guessing, because the Query protocol has one value per name.
 */
export type FormResult = { ok: true; params: Map<string, string> } | { ok: false; reason: 'malformed' | 'duplicate' };

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(component: string): string {
  return decodeURIComponent(component.replace(/\+/g, ' '));
}

export function parseForm(text: string, into: Map<string, string> = new Map()): FormResult {
  const params = into;
  const seen = new Set<string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decode(eq < 0 ? pair : pair.slice(0, eq));
      value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (seen.has(name)) return { ok: false, reason: 'duplicate' };
    seen.add(name);
    params.set(name, value);
  }
  return { ok: true, params };
}

/** Parameters from the query string, then the body (body wins on a clash, as the body is the POST form). */
export function parseQueryParams(query: string, body: Uint8Array | string, contentType: string | undefined): FormResult {
  const fromQuery = parseForm(query);
  if (!fromQuery.ok) return fromQuery;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const bodyLength = typeof body === 'string' ? body.length : body.byteLength;
  if (bodyLength === 0 || (type !== '' && type !== 'application/x-www-form-urlencoded')) return fromQuery;
  let text: string;
  try {
    text = typeof body === 'string' ? body : decoder.decode(body);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const fromBody = parseForm(text);
  if (!fromBody.ok) return fromBody;
  for (const [k, v] of fromBody.params) fromQuery.params.set(k, v);
  return fromQuery;
}
