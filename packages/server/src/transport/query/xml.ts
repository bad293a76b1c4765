/**
 * Minimal XML writing for Query-protocol responses. Text is escaped per XML 1.0 §2.4, and
 * characters XML 1.0 §2.2 does not allow at all (most C0 controls, lone surrogates, U+FFFE/F)
 * become U+FFFD, since no escape can carry them and a client parser would reject the whole
 * response.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<name>inner</name>` where `inner` is already XML. */
export function el(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** `<name>escaped text</name>`, or nothing when the value is absent. */
export function textEl(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Query-protocol list: `<name><member>…</member>…</name>` (botocore query parser). */
export function listEl(name: string, members: readonly string[]): string {
  return el(name, members.map((m) => el('member', m)).join(''));
}

/** IAM/STS timestamps: ISO 8601 UTC with second precision, e.g. 2024-01-02T03:04:05Z. */
export function xmlDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
