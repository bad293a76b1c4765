// RFC 7468 textual encoding ("PEM").

// RFC 7468 §3: labels are printable characters with single interior spaces or hyphens.
const BLOCK_RE = /-----BEGIN ([A-Z0-9]+(?:[ -][A-Z0-9]+)*)-----([\s\S]*?)-----END \1-----/g;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Every PEM block in `text`, in order. Text between blocks (e.g. `openssl x509 -text` output or
 * "Bag Attributes") is ignored, as RFC 7468 §2 allows. A block whose body is not valid base64
 * is skipped rather than half-decoded.
 */
export function pemBlocks(text: string): Array<{ label: string; der: Buffer }> {
  const out: Array<{ label: string; der: Buffer }> = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const body = m[2]!.replace(/\s+/g, '');
    if (!BASE64_RE.test(body) || body.length % 4 !== 0) continue;
    out.push({ label: m[1]!, der: Buffer.from(body, 'base64') });
  }
  return out;
}

/** RFC 7468 §2 strict form: 64-column base64 lines, trailing newline. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}
