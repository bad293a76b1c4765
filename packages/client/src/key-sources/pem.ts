/**
 * A minimal RFC 7468 PEM reader with the leniency of Go's `encoding/pem`, which the official
 * helper uses: text around and between blocks is ignored, RFC 1421 headers (`Proc-Type: …`)
 * are kept apart from the body, and a block whose body is not base64 is skipped.
 */

/** One decoded `-----BEGIN <type>-----` … `-----END <type>-----` block. @internal */
export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  der: Buffer;
  /** The block's text as found, headers included (needed for legacy encrypted PEM keys). */
  raw: string;
}

const BLOCK = /-----BEGIN ([^\r\n-][^\r\n]*?)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;

/** Every well-formed block in `text`, in file order. @internal */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const type = match[1] ?? '';
    const { headers, body } = splitHeaders(match[2] ?? '');
    if (!BASE64_BODY.test(body)) continue;
    const compact = body.replace(/\s+/g, '');
    // RFC 4648 §4: a base64 body has a length that is a multiple of 4 once padded.
    if (compact.length % 4 !== 0) continue;
    blocks.push({ type, headers, der: Buffer.from(compact, 'base64'), raw: match[0] });
  }
  return blocks;
}

/** True when `s` looks like inline PEM rather than a file path. @internal */
export function looksLikePem(s: string): boolean {
  return s.includes('-----BEGIN ');
}

/** Encodes DER as a PEM block with 64-character lines (RFC 7468 §2). @internal */
export function encodePem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

function splitHeaders(inner: string): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  const lines = inner.split(/\r?\n/);
  // RFC 1421 §4.4: headers, if any, come first and end at a blank line.
  if (lines.length > 0 && /^[A-Za-z0-9-]+:/.test(lines[0] ?? '')) {
    let i = 0;
    for (; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.trim() === '') break;
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    return { headers, body: lines.slice(i + 1).join('\n') };
  }
  return { headers, body: inner };
}
