// The CreateSession pipeline with online revocation: the opt-in tag set through the real
// TagResource API (so its value passes AWS's tag-value pattern), a signed CreateSession for a
// leaf that OCSP reports revoked gets AWS's "Certificate revoked", a good one gets credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { authorityInfoAccessExtension } from '@mooring/pki';
import { ensureTokenKeys } from '../../src/app/data-dir.js';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import { ServiceError } from '../../src/core/errors/service-error.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { systemRandom } from '../../src/core/ports/random.js';
import { OnlineRevocation } from '../../src/core/revocation-online/online-revocation.js';
import { CreateSessionService } from '../../src/core/session/create-session-service.js';
import { LocalSessionIssuer } from '../../src/core/sts/local-session-issuer.js';
import { SessionTokenCodec } from '../../src/core/sts/session-token.js';
import { SqliteRoleStore } from '../../src/store/sqlite/sqlite-role-store.js';
import { SqliteCrlStore, SqliteProfileStore, SqliteTrustAnchorStore } from '../../src/store/sqlite/sqlite-roles-anywhere-stores.js';
import { SqliteSubjectStore } from '../../src/store/sqlite/sqlite-subject-store.js';
import { Harness, sessionRequest, walkthroughSetup } from '../support/in-process.js';
import { ScriptedFetcher, ocspAnswer } from './fixtures.js';

describe('CreateSession with online revocation', () => {
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  let service: CreateSessionService;
  const fetcher = new ScriptedFetcher();
  const recorded: AuditEvent[] = [];

  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
    const db = h.db;
    const keys = ensureTokenKeys(h.dir, systemRandom);
    service = new CreateSessionService({
      trustAnchors: new SqliteTrustAnchorStore(db),
      profiles: new SqliteProfileStore(db),
      subjects: new SqliteSubjectStore(db),
      crls: new SqliteCrlStore(db),
      issuer: new LocalSessionIssuer({
        roles: new SqliteRoleStore(db), codec: new SessionTokenCodec({ keys: keys.keys, currentKid: keys.current, random: systemRandom }), random: systemRandom, config: h.server.config,
      }),
      audit: { record: async (e: AuditEvent) => void recorded.push(e) },
      clock: systemClock,
      random: systemRandom,
      config: h.server.config,
      onlineRevocation: new OnlineRevocation({ fetcher, random: systemRandom }),
    });
  });
  after(() => h.stop());

  const create = async (id: ReturnType<typeof s.leaf>) => {
    const req = await sessionRequest({ identity: id, trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn });
    return (await service.createSession({ request: req, body: Buffer.from(req.body), sourceIp: '127.0.0.1', userAgent: 'test', requestId: 'r1' })).response;
  };

  test('ok/opt-in by TagResource; OCSP revoked → Certificate revoked, good → credentials; before the tag nothing is fetched', async () => {
    const aia = { extraExtensions: [authorityInfoAccessExtension(['http://ocsp.invalid/'])] };
    const good = s.leaf('myContainer', aia);
    const bad = s.leaf('myContainer', aia);
    fetcher.ocsp = (_url, body) => ({ ok: true, body: ocspAnswer(body, s.ca, (sn) => (sn === bad.serialHex ? 'revoked' : 'good'), new Date()) });

    assert.ok((await create(bad)).credentialSet[0]?.credentials.accessKeyId, 'opt-out anchor: no online check');
    assert.deepEqual(fetcher.calls, []);

    const tag = await h.admin('rolesanywhere', 'POST', '/TagResource', JSON.stringify({ resourceArn: s.trustAnchorArn, tags: [{ key: 'mooring:revocation', value: 'crl-dp+ocsp' }] }));
    assert.ok(tag.status >= 200 && tag.status < 300, tag.body); // the '+' separator passes AWS's tag-value pattern

    await assert.rejects(create(bad), (e: unknown) => e instanceof ServiceError && e.code === 'AccessDeniedException' && e.message === 'Certificate revoked' && e.reason === 'revoked');
    const ok = await create(good);
    assert.match(ok.credentialSet[0]!.credentials.accessKeyId, /^ASIA/);
    assert.equal(fetcher.calls.length, 2);
  });

  test('fail/status unavailable under deny is "Untrusted signing certificate", audited as revocation-unavailable; under allow the session is issued and the audit says so', async () => {
    const id = s.leaf('myContainer', { extraExtensions: [authorityInfoAccessExtension(['http://ocsp.invalid/'])] });
    fetcher.ocsp = () => ({ ok: false, reason: 'network', detail: 'ECONNREFUSED' });
    await assert.rejects(create(id), (e: unknown) => e instanceof ServiceError && e.message === 'Untrusted signing certificate' && e.reason === 'revocation-unavailable');
    assert.equal((recorded.at(-1)!.additionalEventData as Record<string, unknown>).failureReason, 'revocation-unavailable');
    const tag = await h.admin('rolesanywhere', 'POST', '/TagResource', JSON.stringify({ resourceArn: s.trustAnchorArn, tags: [{ key: 'mooring:revocation-unavailable', value: 'allow' }] }));
    assert.ok(tag.status >= 200 && tag.status < 300, tag.body);
    assert.match((await create(id)).credentialSet[0]!.credentials.accessKeyId, /^ASIA/);
    const allowed = recorded.at(-1)!.additionalEventData as Record<string, unknown>;
    assert.equal(allowed.failureReason, undefined);
    assert.ok(Array.isArray(allowed.revocationUnavailable) && allowed.revocationUnavailable.length > 0, JSON.stringify(allowed));
  });
});
