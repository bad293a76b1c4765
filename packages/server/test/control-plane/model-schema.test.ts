// Schema conformance against the botocore model installed with the AWS CLI (issue 3): the
// constraint table equals the model, and every one of the 30 operations answers on the modelled
// route with the modelled status and only modelled output members (required ones present).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { buildCrl, toPem } from '@mooring/pki';
import { requireOrSkip } from '../../../../scripts/test-support.mjs';
import { MODEL_OPERATIONS, MODEL_SHAPES } from '../../src/core/errors/rolesanywhere-model.js';
import { Harness, sessionRequest, walkthroughSetup } from '../support/in-process.js';

interface Shape { type: string; members?: Record<string, { shape: string; [k: string]: unknown }>; member?: { shape: string }; required?: string[]; [k: string]: unknown }
interface Model { operations: Record<string, { http: { method: string; requestUri: string; responseCode?: number }; input: { shape: string }; output: { shape: string } }>; shapes: Record<string, Shape> }

function findModel(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const p = join(r.stdout.trim(), 'data', 'rolesanywhere', '2018-05-10', 'service-2.json.gz');
  return existsSync(p) ? p : undefined;
}
const modelPath = findModel();
const skip = requireOrSkip(modelPath !== undefined, 'botocore (pip install awscli) is needed for the model schema test');

/** Model shape without documentation, in the form rolesanywhere-model.ts keeps. */
function stripped(s: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['type', 'required', 'members', 'member', 'key', 'value', 'min', 'max', 'pattern', 'enum', 'union', 'sensitive']) {
    const v = s[k];
    if (v === undefined) continue;
    if (k === 'members') {
      out.members = Object.fromEntries(Object.entries(v as Record<string, Record<string, unknown>>).map(([n, m]) => [n, { shape: m.shape, ...(m.location ? { location: m.location, locationName: m.locationName } : {}) }]));
    } else if (k === 'member' || k === 'key' || k === 'value') out[k] = { shape: (v as { shape: string }).shape };
    else out[k] = v;
  }
  return out;
}

describe('model schema', { skip }, () => {
  const model = modelPath ? (JSON.parse(gunzipSync(readFileSync(modelPath)).toString('utf8')) as Model) : undefined;
  const h = new Harness();
  let s: Awaited<ReturnType<typeof walkthroughSetup>>;
  before(async () => {
    await h.start();
    s = await walkthroughSetup(h);
  });
  after(() => h.stop());

  test('ok/the constraint table is the model: every operation binding and every input shape, unchanged', () => {
    assert.equal(Object.keys(model!.operations).length, 30);
    for (const [name, op] of Object.entries(model!.operations)) {
      assert.deepEqual(MODEL_OPERATIONS[name], { method: op.http.method, requestUri: op.http.requestUri, responseCode: op.http.responseCode ?? 200, input: op.input.shape, output: op.output.shape }, name);
    }
    for (const [name, shape] of Object.entries(MODEL_SHAPES)) assert.deepEqual(shape, stripped(model!.shapes[name]!), name);
  });

  /** Only modelled members, required ones present, recursively through structures and lists. */
  function checkOutput(shapeName: string, value: unknown, path: string): void {
    const shape = model!.shapes[shapeName]!;
    if (shape.type === 'structure') {
      assert.equal(typeof value, 'object', path);
      const members = shape.members ?? {};
      for (const k of Object.keys(value as object)) assert.ok(k in members, `${path}.${k} is not a member of ${shapeName}`);
      for (const r of shape.required ?? []) assert.ok(r in (value as object), `${path}.${r} (required) missing`);
      for (const [k, m] of Object.entries(members)) if ((value as Record<string, unknown>)[k] !== undefined) checkOutput(m.shape, (value as Record<string, unknown>)[k], `${path}.${k}`);
    } else if (shape.type === 'list') {
      assert.ok(Array.isArray(value), path);
      (value as unknown[]).forEach((v, i) => checkOutput(shape.member!.shape, v, `${path}[${i}]`));
    } else if (shape.type === 'timestamp') {
      assert.match(value as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, path);
    } else if (shape.type === 'string' || shape.type === 'blob') {
      assert.equal(typeof value, 'string', path);
    } else if (shape.type === 'integer') assert.ok(Number.isInteger(value), path);
    else if (shape.type === 'boolean') assert.equal(typeof value, 'boolean', path);
  }

  test('ok/all 30 operations: modelled route, status code and output members', async () => {
    const ids: Record<string, string> = {};
    const crl = Buffer.from(toPem('X509 CRL', buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(), revoked: [] }))).toString('base64');
    const call = async (name: string, labels: Record<string, string>, body?: Record<string, unknown>, query = '') => {
      const op = model!.operations[name]!;
      const path = op.http.requestUri.replace(/\{(\w+)\}/g, (_, k: string) => labels[k]!);
      const r = await h.admin('rolesanywhere', op.http.method, path, body ? JSON.stringify(body) : '', query);
      assert.equal(r.status, op.http.responseCode ?? 200, `${name}: ${r.body}`);
      const out = r.body === '' ? {} : r.json();
      checkOutput(op.output.shape, out, name);
      done.add(name);
      return out;
    };
    const done = new Set<string>();
    const source = { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: s.ca.pem } };
    const ta = (await call('CreateTrustAnchor', {}, { name: 'schema', source, enabled: true, tags: [{ key: 'k', value: 'v' }] })).trustAnchor;
    ids.trustAnchorId = ta.trustAnchorId;
    await call('GetTrustAnchor', ids);
    await call('ListTrustAnchors', {}, undefined, 'pageSize=1');
    await call('UpdateTrustAnchor', ids, { name: 'schema2' });
    await call('DisableTrustAnchor', ids);
    await call('EnableTrustAnchor', ids);
    await call('PutNotificationSettings', {}, { trustAnchorId: ids.trustAnchorId, notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30 }] });
    await call('ResetNotificationSettings', {}, { trustAnchorId: ids.trustAnchorId, notificationSettingKeys: [{ event: 'CA_CERTIFICATE_EXPIRY' }] });
    const p = (await call('CreateProfile', {}, { name: 'schema', roleArns: [s.roleArn], enabled: true, sessionPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], requireInstanceProperties: false })).profile;
    ids.profileId = p.profileId;
    await call('GetProfile', ids);
    await call('ListProfiles', {});
    await call('UpdateProfile', ids, { durationSeconds: 1800 });
    await call('DisableProfile', ids);
    await call('EnableProfile', ids);
    await call('PutAttributeMapping', ids, { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] });
    await call('DeleteAttributeMapping', ids, undefined, 'certificateField=x509SAN&specifiers=DNS');
    const c = (await call('ImportCrl', {}, { name: 'schema', crlData: crl, trustAnchorArn: ta.trustAnchorArn })).crl;
    ids.crlId = c.crlId;
    await call('GetCrl', ids);
    await call('ListCrls', {});
    await call('UpdateCrl', ids, { name: 'schema2' });
    await call('EnableCrl', ids);
    await call('DisableCrl', ids);
    const session = await h.send(await sessionRequest({ identity: s.leaf('myContainer'), trustAnchorArn: ta.trustAnchorArn, profileArn: p.profileArn, roleArn: s.roleArn, body: { instanceProperties: { a: 'b' } } }));
    assert.equal(session.status, 201, session.body);
    ids.subjectId = (session.json().subjectArn as string).split('/').pop()!;
    await call('ListSubjects', {});
    const sub = (await call('GetSubject', ids)).subject;
    assert.equal(sub.instanceProperties.length, 1);
    await call('TagResource', {}, { resourceArn: c.crlArn, tags: [{ key: 'x', value: 'y' }] });
    await call('ListTagsForResource', {}, undefined, `resourceArn=${encodeURIComponent(c.crlArn)}`);
    await call('UntagResource', {}, { resourceArn: c.crlArn, tagKeys: ['x'] });
    await call('DeleteCrl', ids);
    await call('DeleteProfile', ids);
    await call('DeleteTrustAnchor', ids);
    assert.deepEqual([...done].sort(), Object.keys(model!.operations).sort());
  });
});
