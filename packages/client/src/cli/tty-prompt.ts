import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

/**
 * Reads a secret from the controlling terminal with echo off. Like the official helper it uses
 * `/dev/tty`, not stdin/stdout, so prompting works while an SDK captures the helper's stdout
 * for `credential_process` (signing-helper-spec §8). Without a terminal it fails with a clear
 * message instead of hanging.
 * @internal
 */
export async function promptOnTty(question: string): Promise<string> {
  let inFd: number;
  let outFd: number;
  try {
    inFd = openSync('/dev/tty', 'r');
    outFd = openSync('/dev/tty', 'w');
  } catch {
    // The official helper's wording (signing-helper-spec §8), then why and what to do instead.
    const what = /PIN/.test(question) ? 'unable to read PKCS#11 user PIN' : 'unable to read your PKCS#8 private key password';
    const instead = /PIN/.test(question) ? 'pin-value in the pkcs11: URI' : '--pkcs8-password';
    throw new Error(`${what}: no terminal (/dev/tty) to prompt on; pass ${instead}`);
  }
  const input = new ReadStream(inFd);
  const output = new WriteStream(outFd);
  try {
    output.write(`${question} `);
    input.setRawMode(true);
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      input.on('data', (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return resolve(value);
          if (ch === '\u0003') return reject(new Error('interrupted'));
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      });
      input.on('error', reject);
    });
  } finally {
    input.setRawMode(false);
    output.write('\n');
    input.destroy();
    output.destroy();
    try {
      closeSync(inFd);
    } catch {
      // already closed by the stream
    }
  }
}
