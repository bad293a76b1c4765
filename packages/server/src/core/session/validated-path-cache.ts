import { sha256Digest } from '@mooring/protocol';
import { parseCertificate, validatePath, type ParseResult, type ParsedCertificate, type PathValidationResult } from '@mooring/pki';
import { Lru } from './lru.js';

interface PathEntry {
  path: ParsedCertificate[];
  /** The path is valid only inside every certificate's window (RFC 5280 §6.1.3 (a)(2)). */
  notBefore: number;
  notAfter: number;
}

export type ChainResult =
  | { ok: true; path: ParsedCertificate[] }
  | { ok: false; reason: Exclude<PathValidationResult, { ok: true }>['reason'] | 'malformed-chain-header'; detail: string };

const NUL = Buffer.from([0]);
/** SHA-256 of `prefix`, then each part after a NUL byte (one-shot: this runs twice per session). */
const digest = (parts: readonly Uint8Array[], prefix = ''): string => {
  const chunks: Uint8Array[] = [Buffer.from(prefix, 'utf8')];
  for (const p of parts) chunks.push(NUL, p);
  return sha256Digest(Buffer.concat(chunks), 'base64');
};

/**
 * Remembers parsed leaves (with their imported public keys) and chains that already validated,
 * keyed by the SHA-256 of the presented DER and the trust anchor's id and version. A workload
 * calling CreateSession again pays a hash instead of parsing certificates, importing keys and
 * verifying chain signatures (issue [scale]: no re-validation of already-validated chains).
 * Only successes are cached; the validity window is re-checked on every hit; a new trust-anchor
 * version is a new key. Revocation is never cached here.
 */
export class ValidatedPathCache {
  private readonly leaves: Lru<ParsedCertificate>;
  private readonly paths: Lru<PathEntry>;

  constructor(maxEntries = 10_000) {
    this.leaves = new Lru(maxEntries);
    this.paths = new Lru(maxEntries);
  }

  leaf(der: Uint8Array): ParseResult<ParsedCertificate> {
    const key = digest([der]);
    const hit = this.leaves.get(key);
    if (hit) return { ok: true, value: hit };
    const parsed = parseCertificate(der);
    if (parsed.ok) this.leaves.set(key, parsed.value);
    return parsed;
  }

  validate(input: { leaf: ParsedCertificate; chainDer: readonly Uint8Array[]; anchorKey: string; anchors: () => ParsedCertificate[]; now: Date }): ChainResult {
    const key = digest([input.leaf.der, ...input.chainDer], input.anchorKey);
    const t = input.now.getTime();
    const hit = this.paths.get(key);
    if (hit && t >= hit.notBefore && t <= hit.notAfter) return { ok: true, path: hit.path };
    const chain: ParsedCertificate[] = [];
    for (const der of input.chainDer) {
      const c = parseCertificate(der);
      if (!c.ok) return { ok: false, reason: 'malformed-chain-header', detail: c.detail };
      chain.push(c.value);
    }
    const result = validatePath({ leaf: input.leaf, intermediates: chain, anchors: input.anchors(), now: input.now });
    if (!result.ok) return { ok: false, reason: result.reason, detail: result.detail };
    let notBefore = -Infinity;
    let notAfter = Infinity;
    for (const c of result.path) {
      notBefore = Math.max(notBefore, c.notBefore.getTime());
      notAfter = Math.min(notAfter, c.notAfter.getTime());
    }
    this.paths.set(key, { path: result.path, notBefore, notAfter });
    return { ok: true, path: result.path };
  }
}
