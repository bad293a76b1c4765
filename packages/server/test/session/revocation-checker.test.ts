// RevocationChecker in isolation: stale-CRL policies and the (crl id, version) cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCrl, createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import type { Crl } from '../../src/core/roles-anywhere/crl.js';
import type { CrlStore } from '../../src/core/roles-anywhere/stores.js';
import { RevocationChecker } from '../../src/core/session/revocation-checker.js';

const now = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const ca = createCertificateAuthority({ subject: [['CN', 'Unit CA']], key: 'p256', notBefore: new Date(now.getTime() - 10 * DAY), notAfter: new Date(now.getTime() + 300 * DAY) });
const leaf = issueLeafCertificate(ca, { subject: [['CN', 'w']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + DAY) });
const other = issueLeafCertificate(ca, { subject: [['CN', 'w2']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + DAY) });

function store(nextUpdate: Date, serials: string[]) {
  let loads = 0;
  let version = 1;
  const crl = { crlId: 'c1', crlData: buildCrl({ issuer: { cert: ca.cert, key: ca.key }, thisUpdate: new Date(now.getTime() - 2 * DAY), nextUpdate, revoked: serials.map((serial) => ({ serial, revocationDate: now })) }) } as Crl;
  const s = {
    enabledCrlVersions: async () => [{ crlId: 'c1', version }],
    getCrl: async () => {
      loads++;
      return crl;
    },
  } as unknown as CrlStore;
  return { s, loads: () => loads, bump: () => version++ };
}

test('ok/stale CRLs: enforce (default) still revokes, ignore skips, deny refuses every certificate of that issuer', async () => {
  const stale = store(new Date(now.getTime() - DAY), [leaf.cert.serialHex]);
  const enforce = await new RevocationChecker({ store: stale.s }).check('ta', [leaf.cert], now);
  assert.deepEqual([enforce.ok, enforce.ok ? '' : enforce.reason, enforce.staleCrlIds], [false, 'revoked', ['c1']]);
  const ignore = await new RevocationChecker({ store: stale.s, stalePolicy: 'ignore' }).check('ta', [leaf.cert], now);
  assert.deepEqual([ignore.ok, ignore.staleCrlIds], [true, ['c1']]);
  const deny = await new RevocationChecker({ store: stale.s, stalePolicy: 'deny' }).check('ta', [other.cert], now);
  assert.equal(deny.ok ? 'ok' : deny.reason, 'crl-stale');
});

test('ok/a parsed CRL is reused until its version changes', async () => {
  const fresh = store(new Date(now.getTime() + DAY), [leaf.cert.serialHex]);
  const checker = new RevocationChecker({ store: fresh.s });
  for (let i = 0; i < 5; i++) assert.equal((await checker.check('ta', [other.cert], now)).ok, true);
  assert.equal(fresh.loads(), 1);
  fresh.bump();
  assert.equal((await checker.check('ta', [leaf.cert], now)).ok, false);
  assert.equal(fresh.loads(), 2);
});

test('ok/a 10,000-entry CRL costs a Map lookup per request once parsed', async () => {
  const serials = Array.from({ length: 10_000 }, (_, i) => (0x100000 + i).toString(16));
  const big = store(new Date(now.getTime() + DAY), serials);
  const checker = new RevocationChecker({ store: big.s });
  assert.equal((await checker.check('ta', [leaf.cert], now)).ok, true); // parses once
  for (let i = 0; i < 1000; i++) await checker.check('ta', [leaf.cert, other.cert], now);
  // Parsed once and then looked up (speed itself is for `npm run bench`, not for tests).
  assert.equal(big.loads(), 1, 'parsed exactly once');
});
