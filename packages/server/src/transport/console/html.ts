/**
 * Escape-by-default HTML templating for the console. Every interpolated value is escaped
 * (OWASP XSS Prevention Cheat Sheet, rule 1: HTML-encode untrusted data in element content and
 * quoted attribute values) unless it is already a {@link SafeHtml} produced by this module, so
 * a forgotten escape cannot happen: the only way to emit markup is through `html\`…\``.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes the five HTML-significant characters (and backtick) for text and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(v);
}

/** Tagged template: literal parts verbatim, interpolations escaped (arrays are concatenated). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * A URL path plus query built from parts: path segments and query values are percent-encoded
 * (RFC 3986 §2.1), so an id or filter value cannot break out of the URL or the attribute.
 */
export function href(path: string, query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** One path segment, percent-encoded. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
