/**
 * Which HTTP proxy, if any, to use for a URL: `HTTPS_PROXY`/`HTTP_PROXY` and `NO_PROXY`, in
 * upper or lower case, the way Go's `http.ProxyFromEnvironment` reads them (the official
 * helper's default transport, signing-helper-spec §1.1 `--with-proxy`, issue #30). Loopback
 * targets never use a proxy, as in Go.
 * @internal
 */
export function proxyForUrl(target: URL, env: Record<string, string | undefined> = process.env): URL | undefined {
  const pick = (name: string): string | undefined => env[name] || env[name.toLowerCase()] || undefined;
  const raw = target.protocol === 'https:' ? pick('HTTPS_PROXY') : pick('HTTP_PROXY');
  if (raw === undefined) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return undefined;
  if (matchesNoProxy(host, target.port, pick('NO_PROXY') ?? '')) return undefined;
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

function matchesNoProxy(host: string, port: string, noProxy: string): boolean {
  for (const entry of noProxy.split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '')) {
    if (entry === '*') return true;
    const [name = '', entryPort] = entry.split(/:(?=\d+$)/);
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith('.' + bare)) return true;
  }
  return false;
}
