// Issue [scale] item 3: replicas with separate data dirs share token keys and the admin
// credential through configuration (MOORING_TOKEN_KEYS, MOORING_ADMIN_CREDENTIALS).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signHmacRequest } from '@mooring/protocol';
import { systemRandom } from '../../src/core/ports/random.js';
import { generateTokenKey, serializeTokenKeySet, stageTokenKey, activateTokenKey } from '../../src/core/sts/token-keys.js';
import { HOST, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { dropSchema, newSchemaName, postgresSkip } from '../store-contract/backends.js';
import { startReplica } from './replica.js';

const skip = await postgresSkip();

test('ok/configured keys and admin: replicas with their own data dirs act as one; a staged rotation keeps old tokens valid', { skip }, async () => {
  const schema = newSchemaName();
  const k = generateTokenKey(systemRandom, new Date());
  const set0 = { current: k.kid, keys: [k] };
  const admin = 'AKIAMOORINGTESTADMIN:' + 'Q'.repeat(40);
  const env0 = { MOORING_TOKEN_KEYS: serializeTokenKeySet(set0), MOORING_ADMIN_CREDENTIALS: admin };
  const a = await startReplica({ schema, env: env0 });
  const b = await startReplica({ schema, env: env0 });
  const replicas = [a, b];
  try {
    assert.equal(a.admin.accessKeyId, 'AKIAMOORINGTESTADMIN');
    assert.equal(b.admin.accessKeyId, 'AKIAMOORINGTESTADMIN');
    const fx = await walkthroughSetup(a.h);
    const mint = async (r: typeof a) => {
      const res = await r.h.send(await sessionRequest({ identity: fx.leaf('myContainer'), trustAnchorArn: fx.trustAnchorArn, profileArn: fx.profileArn, roleArn: fx.roleArn }));
      assert.equal(res.status, 201, res.body);
      return res.json().credentialSet[0].credentials as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
    };
    const whoAmI = async (r: typeof a, c: Awaited<ReturnType<typeof mint>>) =>
      (await r.h.send(signHmacRequest(
        { method: 'POST', path: '/', query: '', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
        c, { region: 'us-east-1', service: 'sts', date: new Date() },
      ))).status;
    const old = await mint(a);
    assert.equal(await whoAmI(b, old), 200);

    // Rolling rotation: phase 1 (stage) on every replica, then phase 2 (activate) on every replica.
    const staged = stageTokenKey(set0, systemRandom, new Date());
    const newKid = staged.keys.find((x) => x.kid !== k.kid)!.kid;
    const active = activateTokenKey(staged, newKid, new Date());
    const restart = async (i: number, set: typeof set0) => {
      await replicas[i]!.stop();
      replicas[i] = await startReplica({ schema, env: { ...env0, MOORING_TOKEN_KEYS: serializeTokenKeySet(set) } });
    };
    await restart(0, staged);
    await restart(1, staged);
    await restart(0, active); // replica 0 now seals with the new key; replica 1 still has the staged set
    const fresh = await mint(replicas[0]!);
    assert.equal(await whoAmI(replicas[1]!, fresh), 200, 'a not-yet-activated replica opens tokens of the new key');
    await restart(1, active);
    assert.equal(await whoAmI(replicas[1]!, old), 200, 'tokens from before the rotation still verify');
    assert.equal(await whoAmI(replicas[0]!, fresh), 200);
  } finally {
    for (const r of replicas) await r.stop();
    await dropSchema(schema);
  }
});
