import { parseArgs } from 'node:util';
import { dataDirPaths, updateTokenKeyFile } from '../app/data-dir.js';
import { systemRandom } from '../core/ports/random.js';
import { activateTokenKey, rotateTokenKeys, stageTokenKey } from '../core/sts/token-keys.js';

export const KEYS_USAGE = `mooring keys:
  keys rotate   --data-dir DIR          new current session-token key; older keys keep verifying
  keys stage    --data-dir DIR          add a key that verifies but does not sign yet (rolling rotation)
  keys activate --data-dir DIR --kid K  make a staged key the one that signs
  Restart (or roll) the replicas afterwards; docs/scaling.md explains multi-replica rotation.
`;

/**
 * `mooring keys …`: rewrites `<data-dir>/keys/session-token-keys.json` atomically. Key
 * material is never printed; only key ids.
 */
export function runKeysCommand(args: string[], io: { stdout(s: string): void; stderr(s: string): void }): number {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, kid: { type: 'string' } }, strict: true, allowPositionals: false });
  const dir = values['data-dir'];
  if (!dir || !['rotate', 'stage', 'activate'].includes(sub ?? '')) {
    io.stderr(KEYS_USAGE);
    return 2;
  }
  const now = new Date();
  const file = dataDirPaths(dir).tokenKeys;
  const updated = updateTokenKeyFile(file, (set) => {
    if (sub === 'rotate') return rotateTokenKeys(set, systemRandom, now);
    if (sub === 'stage') return stageTokenKey(set, systemRandom, now);
    if (!values.kid) throw new Error('keys activate needs --kid');
    return activateTokenKey(set, values.kid, now);
  });
  io.stdout(`session-token keys in ${file}: current ${updated.current}; all ${updated.keys.map((k) => k.kid).join(', ')}\n`);
  if (sub === 'stage') {
    const staged = updated.keys[updated.keys.length - 1]!.kid;
    io.stdout(`staged ${staged}: copy ${file} to every replica and restart them one by one, then run: mooring keys activate --data-dir ${dir} --kid ${staged}\n`);
  }
  if (sub === 'activate' || sub === 'rotate') io.stdout('restart this server to sign with the new key; with several replicas, copy the file to each and restart them one by one\n');
  if (process.env.MOORING_TOKEN_KEYS) io.stdout('note: MOORING_TOKEN_KEYS is set in this environment; a server started with it ignores this file\n');
  return 0;
}
