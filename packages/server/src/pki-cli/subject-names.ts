// Subject and subjectAltName input for `mooring pki issue`, validated before anything is signed.
import type { GeneralNameSpec, NameSpec } from '@mooring/pki';
import { UsageError } from './pki-io.js';

/** Subject in certificate order: O, then each OU (in the order given), then CN. */
export function subjectFromFlags(f: { cn: string; o?: string; ous?: readonly string[] }): NameSpec {
  const spec: NameSpec = [];
  if (f.o !== undefined) spec.push(['O', nonEmpty(f.o, '--o')]);
  // Separate RDNs, so the service joins them as "a/b" in x509Subject/OU (service-spec §6.2).
  for (const ou of f.ous ?? []) spec.push(['OU', nonEmpty(ou, '--ou')]);
  spec.push(['CN', nonEmpty(f.cn, '--cn')]);
  return spec;
}

function nonEmpty(v: string, flag: string): string {
  if (v.trim() === '') throw new UsageError(`${flag} must not be empty`);
  // RFC 5280 App. A ub-common-name / ub-organization-name etc.: 64 characters.
  if (v.length > 64) throw new UsageError(`${flag} is longer than 64 characters (RFC 5280 upper bound)`);
  return v;
}

// RFC 1035 §2.3.1 labels (letters, digits, hyphen; 1-63), optionally a leading "*." (RFC 6125 §6.4.3).
const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function checkDnsName(name: string): GeneralNameSpec {
  const body = name.startsWith('*.') ? name.slice(2) : name;
  if (name.length > 253 || !body.split('.').every((l) => DNS_LABEL.test(l))) throw new UsageError(`--dns "${name}" is not a valid DNS name`);
  return { dns: name };
}

/**
 * URIs must be absolute (RFC 5280 §4.2.1.6). SPIFFE IDs follow the SPIFFE-ID specification §2:
 * `spiffe://<trust domain>/<path>`, trust domain [a-z0-9.-_], path segments [A-Za-z0-9.-_] that are
 * not "." or "..", no query, fragment, port or userinfo.
 */
export function checkUri(uri: string): GeneralNameSpec {
  if (/^spiffe:/i.test(uri)) {
    const m = /^spiffe:\/\/([a-z0-9._-]+)((?:\/[A-Za-z0-9._-]+)*)$/.exec(uri);
    if (!m) throw new UsageError(`--uri "${uri}" is not a valid SPIFFE ID (spiffe://trust-domain/path, lowercase trust domain, no query or fragment)`);
    if (m[2]!.split('/').some((seg) => seg === '.' || seg === '..')) throw new UsageError(`--uri "${uri}": SPIFFE path segments may not be "." or ".."`);
    return { uri };
  }
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new UsageError(`--uri "${uri}" is not an absolute URI`);
  }
  if (!parsed.protocol || /[^\x21-\x7e]/.test(uri)) throw new UsageError(`--uri "${uri}" must be an absolute URI of printable ASCII (IA5String)`);
  return { uri };
}

/** Default output prefix: the CN with anything but [A-Za-z0-9._-] replaced, in the current directory. */
export function defaultPrefix(cn: string): string {
  const safe = cn.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? 'leaf' : safe;
}
