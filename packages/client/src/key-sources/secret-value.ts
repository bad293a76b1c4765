import { readFileSync } from 'node:fs';
import { KeySourceError } from './key-source-error.js';

/**
 * A passphrase or PIN given on the command line, without putting the secret itself in the
 * process list (visible to every local user through /proc):
 * - `env:NAME`: the value of environment variable NAME;
 * - `file:PATH`: the first line of the file (a trailing newline is dropped);
 * - `pass:VALUE`: VALUE literally (OpenSSL's spelling; use it for a password starting with
 *   `env:` or `file:`);
 * - anything else: the literal value, as the official helper reads `--pkcs8-password`.
 * Returns undefined for an empty value ("no password", as in the official helper).
 * Errors name the variable or path, never the value.
 * @internal
 */
export function resolveSecret(
  value: string,
  env: Record<string, string | undefined>,
  what: string,
): string | undefined {
  if (value === '') return undefined;
  if (value.startsWith('pass:')) return value.slice(5);
  if (value.startsWith('env:')) {
    const name = value.slice(4);
    const v = env[name];
    if (v === undefined) throw new KeySourceError('read-failed', `${what}: environment variable ${name} is not set`);
    return v;
  }
  if (value.startsWith('file:')) {
    const path = value.slice(5);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const reason = (err as { code?: string }).code ?? 'read error';
      throw new KeySourceError('read-failed', `${what}: unable to read ${path} (${reason})`, { cause: err });
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  return value;
}
