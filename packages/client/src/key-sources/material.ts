import { readFileSync } from 'node:fs';
import { KeySourceError } from './key-source-error.js';
import { looksLikePem } from './pem.js';

/**
 * Where certificate or key bytes come from: a file path, inline PEM text, or the bytes
 * themselves (a Buffer is treated as file contents). Inline material answers the
 * "not only files" request of the official helper's issues #187 and PR #93.
 * @public
 */
export type MaterialSource = string | Buffer;

/** What is being read, for the Go-compatible `failed to read <what>: …` message. @internal */
export type MaterialKind = 'certificate' | 'private key' | 'certificate chain';

/**
 * Returns the bytes behind `source`. Files are re-read on every call on purpose: the official
 * helper re-reads key and certificate at each use so a rotated certificate is picked up
 * (PR #65, signing-helper-spec §6.2).
 * @internal
 */
export function readMaterial(source: MaterialSource, kind: MaterialKind): Buffer {
  if (Buffer.isBuffer(source)) return source;
  if (looksLikePem(source)) return Buffer.from(source, 'utf8');
  try {
    return readFileSync(source);
  } catch (err) {
    // The node message names the path and the errno; it never contains file contents.
    const reason = err instanceof Error ? err.message : String(err);
    throw new KeySourceError('read-failed', `failed to read ${kind}: ${reason}`, { cause: err });
  }
}

/** A short, non-secret description of the source for debug output. @internal */
export function describeMaterial(source: MaterialSource): string {
  if (Buffer.isBuffer(source)) return `<${source.length} bytes>`;
  return looksLikePem(source) ? '<inline PEM>' : source;
}
