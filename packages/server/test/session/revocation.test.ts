// Revocation in CreateSession (issue 4 item 1, service-spec §4.4 step 7, §7): CRLs imported
// through the real API, effective on the next request, keyed by issuer AND serial.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCrl, createCertificateAuthority, issueLeafCertificate, toPem, type IssuedCertificate } from '@mooring/pki';
import { Harness, sessionRequest, walkthroughSetup, DAY, type Identity } from '../support/in-process.js';

const now = new Date();
const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) };

function crlPem(ca: IssuedCertificate, serials: string[], o: { thisUpdate?: Date; nextUpdate?: Date } = {}): string {
  const der = buildCrl({
    issuer: { cert: ca.cert, key: ca.key },
    thisUpdate: o.thisUpdate ?? new Date(now.getTime() - DAY),
    nextUpdate: o.nextUpdate ?? new Date(now.getTime() + 7 * DAY),
    revoked: serials.map((serial) => ({ serial, revocationDate: new Date(now.getTime() - DAY) })),
  });
  return toPem('X509 CRL', der);
}

function identity(ca: IssuedCertificate, serial?: bigint): Identity {
  const l = issueLeafCertificate(ca, { subject: [['CN', 'myContainer']], key: 'p256', ...validity, ...(serial !== undefined ? { serial } : {}) });
  return { der: l.der, key: l.key, serialHex: l.cert.serialHex, serialDecimal: l.cert.serialDecimal };
}

describe('revocation', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;

  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
  });
  after(() => h.stop());

  const ra = (method: string, path: string, body?: unknown, query = '') =>
    h.admin('rolesanywhere', method, path, body === undefined ? '' : JSON.stringify(body), query);
  const importCrl = async (trustAnchorArn: string, pem: string, enabled: boolean) => {
    const r = await ra('POST', '/crls', { name: 'crl', crlData: Buffer.from(pem).toString('base64'), trustAnchorArn, enabled });
    assert.equal(r.status, 201, r.body);
    return r.json().crl.crlId as string;
  };
  const session = (id: Identity, trustAnchorArn = s.trustAnchorArn, chain?: Buffer[]) =>
    sessionRequest({ identity: id, trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn, ...(chain ? { chain } : {}) }).then((r) => h.send(r));
  const expectRevoked = async (r: Awaited<ReturnType<typeof session>>) => {
    assert.equal(r.status, 403, r.body);
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(r.json().message, 'Certificate revoked');
  };
  const anchor = async (pem: string) => {
    const r = await ra('POST', '/trustanchors', { name: 'ta', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: pem } } });
    assert.equal(r.status, 201, r.body);
    return r.json().trustAnchor as { trustAnchorArn: string; trustAnchorId: string };
  };

  test('ok/import disabled → no effect; EnableCrl revokes on the next request; DisableCrl lifts it; DeleteCrl too', async () => {
    const me = identity(s.ca);
    const other = identity(s.ca);
    const crlId = await importCrl(s.trustAnchorArn, crlPem(s.ca, [me.serialHex]), false);
    assert.equal((await session(me)).status, 201);
    assert.equal((await ra('POST', `/crl/${crlId}/enable`)).status, 200);
    await expectRevoked(await session(me));
    assert.equal((await session(other)).status, 201, 'only the listed serial is affected');
    // The refused attempt is on the subject, marked failed.
    const subjects = (await ra('GET', '/subjects')).json().subjects as Array<{ subjectId: string; x509Subject: string }>;
    const sub = (await ra('GET', `/subject/${subjects.find((x) => x.x509Subject === 'CN=myContainer')!.subjectId}`)).json().subject;
    assert.ok(sub.credentials.some((c: { serialNumber: string; failed: boolean }) => c.serialNumber === me.serialHex && c.failed === true));
    assert.equal((await ra('POST', `/crl/${crlId}/disable`)).status, 200);
    assert.equal((await session(me)).status, 201);
    await ra('POST', `/crl/${crlId}/enable`);
    await expectRevoked(await session(me));
    assert.equal((await ra('DELETE', `/crl/${crlId}`)).status, 200);
    assert.equal((await session(me)).status, 201);
  });

  test('ok/import enabled revokes immediately, UpdateCrl with new data changes the verdict at once', async () => {
    const a = identity(s.ca);
    const b = identity(s.ca);
    const crlId = await importCrl(s.trustAnchorArn, crlPem(s.ca, [a.serialHex]), true);
    await expectRevoked(await session(a));
    assert.equal((await session(b)).status, 201);
    const u = await ra('PATCH', `/crl/${crlId}`, { crlData: Buffer.from(crlPem(s.ca, [b.serialHex])).toString('base64') });
    assert.equal(u.status, 200, u.body);
    assert.equal((await session(a)).status, 201);
    await expectRevoked(await session(b));
    await ra('DELETE', `/crl/${crlId}`);
  });

  test('ok/an intermediate listed in the root CRL blocks every leaf below it', async () => {
    const root = createCertificateAuthority({ subject: [['CN', 'Root R']], key: 'p256', ...validity, notAfter: new Date(now.getTime() + 365 * DAY) });
    const inter = createCertificateAuthority({ subject: [['CN', 'Issuing I']], key: 'p256', issuer: root, ...validity });
    const ta = await anchor(root.pem);
    const me = identity(inter);
    assert.equal((await session(me, ta.trustAnchorArn, [inter.der])).status, 201);
    await importCrl(ta.trustAnchorArn, crlPem(root, [inter.cert.serialHex]), true);
    await expectRevoked(await session(me, ta.trustAnchorArn, [inter.der]));
    // Deleting the trust anchor deletes its CRLs (documented cascade).
    assert.equal((await ra('DELETE', `/trustanchor/${ta.trustAnchorId}`)).status, 200);
    const left = (await ra('GET', '/crls')).json().crls as Array<{ trustAnchorArn: string }>;
    assert.equal(left.filter((c) => c.trustAnchorArn === ta.trustAnchorArn).length, 0);
  });

  test('ok/an issuing CA bundled with its root is still revocable by the root CRL (RFC 5280 §6.3)', async () => {
    const root = createCertificateAuthority({ subject: [['CN', 'Root B']], key: 'p256', ...validity, notAfter: new Date(now.getTime() + 365 * DAY) });
    const inter = createCertificateAuthority({ subject: [['CN', 'Issuing B']], key: 'p256', issuer: root, ...validity });
    // Path building stops at the bundled intermediate, with or without it in the chain header.
    const ta = await anchor(root.pem + inter.pem);
    const me = identity(inter);
    assert.equal((await session(me, ta.trustAnchorArn)).status, 201);
    await importCrl(ta.trustAnchorArn, crlPem(root, [inter.cert.serialHex]), true);
    await expectRevoked(await session(me, ta.trustAnchorArn));
    await expectRevoked(await session(me, ta.trustAnchorArn, [inter.der]));
    // The root itself is the anchor: a CRL listing the root's own serial does not revoke it.
    await ra('DELETE', `/trustanchor/${ta.trustAnchorId}`);
    const rootOnly = await anchor(root.pem);
    await importCrl(rootOnly.trustAnchorArn, crlPem(root, [root.cert.serialHex]), true);
    assert.equal((await session(me, rootOnly.trustAnchorArn, [inter.der])).status, 201);
    await ra('DELETE', `/trustanchor/${rootOnly.trustAnchorId}`);
  });

  test('ok/an intermediate configured alone as the anchor is the anchor: nothing here can revoke it', async () => {
    const root = createCertificateAuthority({ subject: [['CN', 'Root C']], key: 'p256', ...validity, notAfter: new Date(now.getTime() + 365 * DAY) });
    const inter = createCertificateAuthority({ subject: [['CN', 'Issuing C']], key: 'p256', issuer: root, ...validity });
    const ta = await anchor(inter.pem);
    const me = identity(inter);
    await importCrl(ta.trustAnchorArn, crlPem(inter, ['7777']), true);
    assert.equal((await session(me, ta.trustAnchorArn)).status, 201);
    await ra('DELETE', `/trustanchor/${ta.trustAnchorId}`);
  });

  test('ok/the same serial from two CAs of one anchor: only the CRL issuer\'s certificate is revoked', async () => {
    const ca1 = createCertificateAuthority({ subject: [['CN', 'Twin One']], key: 'p256', ...validity });
    const ca2 = createCertificateAuthority({ subject: [['CN', 'Twin Two']], key: 'p256', ...validity });
    const ta = await anchor(ca1.pem + ca2.pem);
    const one = identity(ca1, 0x4242n);
    const two = identity(ca2, 0x4242n);
    assert.equal(one.serialHex, two.serialHex);
    await importCrl(ta.trustAnchorArn, crlPem(ca1, [one.serialHex]), true);
    await expectRevoked(await session(one, ta.trustAnchorArn));
    assert.equal((await session(two, ta.trustAnchorArn)).status, 201);
    await ra('DELETE', `/trustanchor/${ta.trustAnchorId}`);
  });

  test('fail/a forged CRL, garbage, a certificate and a CRL whose nextUpdate precedes thisUpdate are refused at import', async () => {
    // Forged: claims the anchor CA's name but is signed with another key (its AKI gives it away)…
    const forger = createCertificateAuthority({ subject: [['CN', 'Test CA']], key: 'p256', ...validity });
    // …and the anchor CA's own CRL with one signature bit flipped (DER, the other accepted encoding).
    const tampered = buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: now, nextUpdate: new Date(now.getTime() + DAY), revoked: [] });
    tampered[tampered.length - 1]! ^= 1;
    const cases: Array<[string, Buffer, RegExp]> = [
      ['forged name', Buffer.from(crlPem(forger, ['01'])), /^CRL not accepted for this trust anchor: no certificate of the trust anchor is the CRL issuer "CN=Test CA"/],
      ['bad signature', tampered, /^CRL not accepted for this trust anchor: CRL signature does not verify/],
      ['garbage', Buffer.from('not a crl at all'), /^Invalid CRL: /],
      ['certificate', Buffer.from(s.ca.pem), /^Invalid CRL: .*not a CRL|X509 CRL/],
      ['next before this', Buffer.from(crlPem(s.ca, ['01'], { thisUpdate: now, nextUpdate: new Date(now.getTime() - DAY) })), /nextUpdate .* precedes thisUpdate/],
    ];
    for (const [name, data, message] of cases) {
      const r = await ra('POST', '/crls', { name: 'x', crlData: data.toString('base64'), trustAnchorArn: s.trustAnchorArn });
      assert.equal(r.status, 400, `${name}: ${r.body}`);
      assert.equal(r.headers['x-amzn-errortype'], 'ValidationException', name);
      assert.match(r.json().message, message, name);
    }
  });

  test('ok/the CRL of an issuing CA below the bundle is accepted and revokes its leaves once its signature checks out in the path', async () => {
    const root = createCertificateAuthority({ subject: [['CN', 'Root D']], key: 'p256', ...validity, notAfter: new Date(now.getTime() + 365 * DAY) });
    const inter = createCertificateAuthority({ subject: [['CN', 'Issuing D']], key: 'p256', issuer: root, ...validity });
    // Same name as the issuing CA, another key: its CRL must not revoke anything.
    const impostor = createCertificateAuthority({ subject: [['CN', 'Issuing D']], key: 'p256', ...validity });
    const ta = await anchor(root.pem);
    const me = identity(inter);
    const other = identity(inter);
    assert.equal((await session(me, ta.trustAnchorArn, [inter.der])).status, 201);
    const forged = await importCrl(ta.trustAnchorArn, crlPem(impostor, [me.serialHex, other.serialHex]), true);
    assert.equal((await session(me, ta.trustAnchorArn, [inter.der])).status, 201, 'a CRL the path CA did not sign is ignored');
    const flagged = h.auditEvents(1)[0]!;
    assert.deepEqual((flagged.additionalEventData as Record<string, unknown>).unverifiedCrlIds, [forged]);
    await ra('DELETE', `/crl/${forged}`);
    await importCrl(ta.trustAnchorArn, crlPem(inter, [me.serialHex]), true);
    await expectRevoked(await session(me, ta.trustAnchorArn, [inter.der]));
    assert.equal((await session(other, ta.trustAnchorArn, [inter.der])).status, 201, 'only the listed serial');
    await ra('DELETE', `/trustanchor/${ta.trustAnchorId}`);
  });

  test('ok/a stale CRL (past nextUpdate) is still enforced by default', async () => {
    const me = identity(s.ca);
    const crlId = await importCrl(s.trustAnchorArn, crlPem(s.ca, [me.serialHex], { thisUpdate: new Date(now.getTime() - 10 * DAY), nextUpdate: new Date(now.getTime() - DAY) }), true);
    await expectRevoked(await session(me));
    await ra('DELETE', `/crl/${crlId}`);
  });

  test('ok/a 10,000-entry CRL revokes exactly its listed serial through the API', async () => {
    const me = identity(s.ca, 0x100123n);
    const serials = Array.from({ length: 10_000 }, (_, i) => (0x100000 + i).toString(16));
    const crlId = await importCrl(s.trustAnchorArn, crlPem(s.ca, serials), true);
    await expectRevoked(await session(me));
    assert.equal((await session(identity(s.ca, 0x200000n))).status, 201);
    await ra('DELETE', `/crl/${crlId}`);
  });
});
