// Online revocation decisions with a scripted fetcher (no network): CDP and OCSP outcomes, caches
// that honour nextUpdate and TTLs, fallbacks, fail-closed / fail-open, forged data, opt-out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCertificateAuthority } from '@mooring/pki';
import { OnlineRevocation } from '../../src/core/revocation-online/online-revocation.js';
import { RevocationChecker } from '../../src/core/session/revocation-checker.js';
import { DAY, MIN, ScriptedFetcher, crlOf, emptyCrlStore, fixedRandom, ocspAnswer, pki, trustAnchor } from './fixtures.js';

const now = new Date('2026-06-01T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const p = pki('http://ca.test', now);
const good = p.leaf('good');
const bad = p.leaf('bad');
const forger = createCertificateAuthority({ subject: [['CN', 'Online Root']], ...p.validity }); // same name, other key

function setup(tags: Array<[string, string]>) {
  const fetcher = new ScriptedFetcher();
  const online = new OnlineRevocation({ fetcher, random: fixedRandom });
  const ta = trustAnchor(p.root.pem, tags.map(([key, value]) => ({ key, value })));
  const checker = new RevocationChecker({ store: emptyCrlStore, online: { service: online, trustAnchors: { getTrustAnchor: async () => ta } as never } });
  const check = (leaf = good, when = now) => checker.check('ta1', [leaf.cert], when, { trustAnchor: ta });
  return { fetcher, online, check };
}

const crlBody = (serials: string[], nextUpdate = at(DAY), thisUpdate = at(-MIN)) => ({ ok: true as const, body: crlOf(p.root, serials, thisUpdate, nextUpdate) });

test('ok/crl-dp: a listed serial is refused as revoked-crl-dp, an unlisted one passes; the CRL is fetched once', async () => {
  const s = setup([['mooring:revocation', 'crl-dp']]);
  s.fetcher.crl = () => crlBody([bad.cert.serialHex]);
  const r = await s.check(bad);
  assert.deepEqual(r.ok ? 'ok' : [r.reason, r.cause], ['revoked', 'revoked-crl-dp']);
  assert.equal((await s.check(good)).ok, true);
  assert.equal((await s.check(good, at(30 * MIN))).ok, true);
  assert.deepEqual(s.fetcher.calls, ['GET http://ca.test/crl'], 'cached by URL within nextUpdate and max age');
});

test('ok/crl-dp: refetched after max age; if the CDP is down the last good CRL is used until its nextUpdate, then fail-closed', async () => {
  const s = setup([['mooring:revocation', 'crl-dp']]);
  s.fetcher.crl = () => crlBody([bad.cert.serialHex], at(3 * 3_600_000));
  assert.equal((await s.check(bad)).ok, false);
  s.fetcher.crl = () => ({ ok: false, reason: 'timeout', detail: 'no answer' });
  const later = await s.check(bad, at(2 * 3_600_000)); // max age (1 h) passed, nextUpdate (3 h) not
  assert.deepEqual(later.ok ? 'ok' : later.cause, 'revoked-crl-dp', 'the still-valid CRL keeps revoking');
  assert.equal(s.fetcher.calls.length, 2);
  const past = await s.check(good, at(4 * 3_600_000));
  assert.deepEqual(past.ok ? 'ok' : [past.reason, past.cause], ['crl-stale', 'revocation-unavailable']);
  assert.match(past.ok ? '' : past.detail, /past its nextUpdate.*timeout/);
});

test('ok/unavailable policy: allow lets the certificate through and reports it; deny (default) refuses', async () => {
  const deny = setup([['mooring:revocation', 'crl-dp+ocsp']]);
  const d = await deny.check(good);
  assert.deepEqual(d.ok ? 'ok' : d.cause, 'revocation-unavailable');
  const allow = setup([['mooring:revocation', 'ocsp crl-dp'], ['mooring:revocation-unavailable', 'allow']]);
  const a = await allow.check(good);
  assert.ok(a.ok);
  assert.equal(a.onlineUnavailable?.length, 1);
  assert.match(a.onlineUnavailable![0]!, /ECONNREFUSED/);
});

test('ok/failure backoff: after a failed fetch, requests within 30 s do not wait on the CDP again', async () => {
  const s = setup([['mooring:revocation', 'crl-dp'], ['mooring:revocation-unavailable', 'allow']]);
  await s.check(good);
  await s.check(good, at(10_000));
  assert.equal(s.fetcher.calls.length, 1);
  await s.check(good, at(31_000));
  assert.equal(s.fetcher.calls.length, 2);
});

test('fail/crl-dp: a forged CRL (same issuer name, other key) is never used; an older CRL cannot replace a newer one', async () => {
  const s = setup([['mooring:revocation', 'crl-dp']]);
  s.fetcher.crl = () => ({ ok: true, body: crlOf(forger, [], at(-MIN), at(DAY)) });
  const r = await s.check(bad);
  assert.deepEqual(r.ok ? 'ok' : r.cause, 'revocation-unavailable');
  assert.match(r.ok ? '' : r.detail, /CRL rejected: (issuer-not-in-anchor|bad-signature)/);
  // Same name AND the root's key identifier, signed with another key: only the signature tells.
  const sameAki = setup([['mooring:revocation', 'crl-dp']]);
  sameAki.fetcher.crl = () => ({ ok: true, body: crlOf({ ...p.root, key: forger.key }, [], at(-MIN), at(DAY)) });
  const r2 = await sameAki.check(bad);
  assert.match(r2.ok ? 'ok' : r2.detail, /CRL rejected: bad-signature/);

  const t = setup([['mooring:revocation', 'crl-dp']]);
  t.fetcher.crl = () => crlBody([bad.cert.serialHex], at(2 * 3_600_000), at(-MIN));
  assert.equal((await t.check(bad)).ok, false);
  // A replayed CRL from before the revocation (older thisUpdate) must not un-revoke.
  t.fetcher.crl = () => crlBody([], at(5 * DAY), at(-DAY));
  const replay = await t.check(bad, at(90 * MIN));
  assert.deepEqual(replay.ok ? 'ok' : replay.cause, 'revoked-crl-dp');
});

test('ok/ocsp: revoked → revoked-ocsp, good cached for 5 minutes, unknown is unavailable', async () => {
  const s = setup([['mooring:revocation', 'ocsp']]);
  s.fetcher.ocsp = (_url, body) => ({ ok: true, body: ocspAnswer(body, p.root, (sn) => (sn === bad.cert.serialHex ? 'revoked' : sn === good.cert.serialHex ? 'good' : 'unknown'), now) });
  const r = await s.check(bad);
  assert.deepEqual(r.ok ? 'ok' : [r.reason, r.cause], ['revoked', 'revoked-ocsp']);
  assert.equal((await s.check(good)).ok, true);
  assert.equal((await s.check(good, at(4 * MIN))).ok, true);
  assert.equal(s.fetcher.calls.length, 2, 'good answer reused within 5 minutes');
  assert.equal((await s.check(good, at(6 * MIN))).ok, true);
  assert.equal(s.fetcher.calls.length, 3, 'asked again after the TTL');
  const stranger = p.leaf('stranger');
  const u = await s.check(stranger);
  assert.deepEqual(u.ok ? 'ok' : u.cause, 'revocation-unavailable');
});

test('fail/ocsp: a forged response (signed by a same-name key) is rejected; the responder being down falls back to the last verified answer', async () => {
  const s = setup([['mooring:revocation', 'ocsp']]);
  s.fetcher.ocsp = (_url, body) => ({ ok: true, body: ocspAnswer(body, p.root, () => 'good', now, forger) });
  const f = await s.check(bad);
  assert.deepEqual(f.ok ? 'ok' : f.cause, 'revocation-unavailable');
  assert.match(f.ok ? '' : f.detail, /bad-signature/);

  const t = setup([['mooring:revocation', 'ocsp']]);
  t.fetcher.ocsp = (_url, body) => ({ ok: true, body: ocspAnswer(body, p.root, () => 'good', now) });
  assert.equal((await t.check(good)).ok, true);
  t.fetcher.ocsp = () => ({ ok: false, reason: 'network', detail: 'ECONNREFUSED' });
  assert.equal((await t.check(good, at(10 * MIN))).ok, true, 'within the response nextUpdate (60 min)');
  const gone = await t.check(good, at(2 * 60 * MIN));
  assert.deepEqual(gone.ok ? 'ok' : gone.cause, 'revocation-unavailable');
});

test('ok/either method good is enough; revoked by either wins', async () => {
  const s = setup([['mooring:revocation', 'crl-dp+ocsp']]);
  s.fetcher.ocsp = (_url, body) => ({ ok: true, body: ocspAnswer(body, p.root, () => 'good', now) });
  assert.equal((await s.check(good)).ok, true, 'CDP down, OCSP good');
  s.fetcher.crl = () => crlBody([bad.cert.serialHex]);
  const r = await s.check(bad, at(31_000)); // after the 30 s failure backoff of the CDP
  assert.deepEqual(r.ok ? 'ok' : r.cause, 'revoked-crl-dp', 'CRL lists it although OCSP says good');
});

test('ok/opt-out: trust anchors without the tag (or with "off") never fetch; an invalid tag value fails closed', async () => {
  for (const tags of [[], [['mooring:revocation', 'off']], [['other', 'crl-dp']]] as Array<Array<[string, string]>>) {
    const s = setup(tags);
    assert.equal((await s.check(bad)).ok, true);
    assert.deepEqual(s.fetcher.calls, []);
  }
  const typo = setup([['mooring:revocation', 'oscp']]);
  const r = await typo.check(good);
  assert.deepEqual(r.ok ? 'ok' : r.cause, 'revocation-unavailable');
  assert.match(r.ok ? '' : r.detail, /unknown method/);
  assert.deepEqual(typo.fetcher.calls, []);
});

test('ok/intermediates: the intermediate is checked against the root, the leaf against the intermediate', async () => {
  const inter = createCertificateAuthority({ subject: [['CN', 'Online Issuing']], issuer: { cert: p.root.cert, key: p.root.key }, ...p.validity });
  const leaf = p.leaf('under-inter', inter);
  const s = setup([['mooring:revocation', 'ocsp']]);
  // The request must name the intermediate as issuer: the answer is made (and signed) by it.
  s.fetcher.ocsp = (_url, body) => ({ ok: true, body: ocspAnswer(body, inter, () => 'good', now) });
  const r = await s.online.check({ policy: { enabled: true, crlDp: false, ocsp: true, onUnavailable: 'deny' }, certs: [leaf.cert], anchors: [p.root.cert], now });
  // The leaf names an OCSP URL, its issuer is the intermediate which is not in `certs`: no issuer → unavailable.
  assert.deepEqual(r.ok ? 'ok' : r.cause, 'revocation-unavailable');
  const full = await s.online.check({ policy: { enabled: true, crlDp: false, ocsp: true, onUnavailable: 'deny' }, certs: [leaf.cert, inter.cert], anchors: [p.root.cert], now });
  assert.equal(full.ok, true, full.ok ? '' : full.detail);
  assert.equal(s.fetcher.calls.length, 1, 'only the leaf names a responder');
});

test('ok/background refresh renews a CRL before it is due and drops idle URLs', async () => {
  const s = setup([['mooring:revocation', 'crl-dp']]);
  s.fetcher.crl = () => crlBody([], at(30 * MIN));
  assert.equal((await s.check(good)).ok, true);
  await s.online.refresh(at(10 * MIN));
  assert.equal(s.fetcher.calls.length, 1, 'not yet within 5 minutes of nextUpdate');
  s.fetcher.crl = () => crlBody([good.cert.serialHex], at(90 * MIN), at(26 * MIN));
  await s.online.refresh(at(26 * MIN));
  assert.equal(s.fetcher.calls.length, 2);
  const r = await s.check(good, at(27 * MIN));
  assert.deepEqual(r.ok ? 'ok' : r.cause, 'revoked-crl-dp', 'the refreshed CRL is in use without a request-time fetch');
  assert.equal(s.fetcher.calls.length, 2);
  await s.online.refresh(at(2 * DAY));
  assert.equal(s.online.crlDp.size, 0);
});

test('ok/concurrent requests for one URL share one download', async () => {
  const s = setup([['mooring:revocation', 'crl-dp']]);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  s.fetcher.crl = async () => {
    await gate;
    return crlBody([]);
  };
  const all = Promise.all(Array.from({ length: 5 }, () => s.check(good)));
  release();
  assert.ok((await all).every((r) => r.ok));
  assert.equal(s.fetcher.calls.length, 1);
});
