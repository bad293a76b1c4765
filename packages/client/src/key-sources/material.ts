import { readFileSync } from 'node:fs';
import { KeySourceError } from './key-source-error.js';
import { looksLikePem } from './pem.js';

/**
 * Where certificate or key bytes come from: a file path, inline PEM text, the bytes themselves
 * (a Buffer is treated as file contents), `-` for standard input, or `env:NAME` for an
 * environment variable holding PEM text (or base64 of a DER / PKCS#12 file). Inline material
 * answers the "not only files" request of the official helper's issues #187 and PR #93.
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
export function readMaterial(
  source: MaterialSource,
  kind: MaterialKind,
  env: Record<string, string | undefined> = process.env,
): Buffer {
  if (Buffer.isBuffer(source)) return source;
  if (looksLikePem(source)) return Buffer.from(source, 'utf8');
  if (source === '-') return readStdinOnce(kind);
  if (source.startsWith('env:')) {
    const name = source.slice(4);
    const value = env[name];
    if (value === undefined || value === '') {
      throw new KeySourceError('read-failed', `failed to read ${kind}: environment variable ${name} is not set`);
    }
    if (looksLikePem(value)) return Buffer.from(value, 'utf8');
    const compact = value.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
      throw new KeySourceError('read-failed', `failed to read ${kind}: environment variable ${name} holds neither PEM nor base64`);
    }
    return Buffer.from(compact, 'base64');
  }
  try {
    return readFileSync(source);
  } catch (err) {
    // The node message names the path and the errno; it never contains file contents.
    const reason = err instanceof Error ? err.message : String(err);
    throw new KeySourceError('read-failed', `failed to read ${kind}: ${reason}`, { cause: err });
  }
}

let stdinBytes: Buffer | undefined;

/**
 * Standard input, read once per process: certificate and key may both be `-` (one combo PEM
 * piped in), and stdin cannot be read twice.
 */
function readStdinOnce(kind: MaterialKind): Buffer {
  if (stdinBytes === undefined) {
    try {
      stdinBytes = readFileSync(0);
    } catch (err) {
      throw new KeySourceError('read-failed', `failed to read ${kind} from standard input: ${(err as NodeJS.ErrnoException).code ?? 'read error'}`, { cause: err });
    }
  }
  return stdinBytes;
}

/** A short, non-secret description of the source for debug output. @internal */
export function describeMaterial(source: MaterialSource): string {
  if (Buffer.isBuffer(source)) return `<${source.length} bytes>`;
  if (source === '-') return '<stdin>';
  return looksLikePem(source) ? '<inline PEM>' : source;
}
