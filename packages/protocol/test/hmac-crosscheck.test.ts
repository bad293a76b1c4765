// Differential tests: our canonicaliser and HMAC signer against @smithy/signature-v4 (the
// AWS SDK for JavaScript v3 signer) and botocore's SigV4Auth, and our X.509 canonical request
// against botocore's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, type BinaryLike } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  canonicalRequest, newFileX509Signer, parseAuthorization, signHmacRequest, signX509Request, verifyHmacRequest,
  type RawHttpRequest,
} from '../src/index.js';
import { requireOrSkip } from '../../../scripts/test-support.mjs';
import { botocoreAvailable, botocoreSign, ecIdentity, TEST_DATE, type BotocoreCase } from './fixtures.js';

/** The Sha256 constructor smithy wants (hash, or HMAC when given a secret), on node:crypto. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
function toBinary(d: SourceData): BinaryLike {
  if (typeof d === 'string') return d;
  return d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}
class NodeSha256 {
  private readonly h;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBinary(secret));
  }
  update(data: SourceData): void {
    this.h.update(toBinary(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...CREDS, sessionToken: 'FQoGZXIvYXdzEXAMPLE//token+with/chars=' };

interface Case {
  name: string;
  method: string;
  host: string;
  path: string;
  /** Decoded query pairs; the raw query is built from them with form encoding. */
  params: Array<[string, string]>;
  headers: Array<[string, string]>;
  body: string;
  region: string;
  service: string;
  session?: boolean;
}

const CASES: Case[] = [
  { name: 'sts GetCallerIdentity form body', method: 'POST', host: 'sts.amazonaws.com', path: '/', params: [],
    headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
    body: 'Action=GetCallerIdentity&Version=2011-06-15', region: 'us-east-1', service: 'sts' },
  { name: 'query with special characters', method: 'GET', host: 'rolesanywhere.eu-west-2.amazonaws.com', path: '/trustanchors',
    params: [['nextToken', 'a b+c/d=e&f~g*h!i\'j(k)l'], ['pageSize', '10'], ['üñí', 'çødé ✓'], ['empty', '']],
    headers: [], body: '', region: 'eu-west-2', service: 'rolesanywhere' },
  { name: 'repeated query keys', method: 'GET', host: 'example.amazonaws.com', path: '/list',
    params: [['tag', 'zeta'], ['tag', 'alpha'], ['Tag', 'mid'], ['tag', 'Beta'], ['a', '2'], ['a', '10']],
    headers: [], body: '', region: 'us-west-2', service: 'iam' },
  { name: 'spaces in headers and session token', method: 'PUT', host: 'example.amazonaws.com:8443', path: '/v1/items/x',
    params: [], headers: [['X-Custom', '  lots   of    spaces  '], ['X-Amz-Meta-Thing', 'a b'], ['Content-Type', 'application/json']],
    body: '{"k":"v"}', region: 'ap-southeast-2', service: 'execute-api', session: true },
  { name: 'path normalisation and double encoding', method: 'GET', host: 'example.amazonaws.com',
    path: '/a/./b/../c//d%20e/%7Euser/', params: [['x', '1']], headers: [], body: '', region: 'us-east-1', service: 'service' },
];

function formEncode(params: Array<[string, string]>): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function toRaw(c: Case): RawHttpRequest {
  const headers: RawHttpRequest['headers'] = { host: c.host };
  for (const [k, v] of c.headers) headers[k] = v;
  return { method: c.method, path: c.path, query: formEncode(c.params), headers, body: c.body };
}

async function smithySign(c: Case): Promise<string> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of c.params) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const headers: Record<string, string> = { host: c.host };
  for (const [k, v] of c.headers) headers[k] = v;
  const signer = new SignatureV4({
    credentials: c.session ? SESSION : CREDS, region: c.region, service: c.service, sha256: NodeSha256,
    applyChecksum: false, uriEscapePath: true,
  });
  const out = await signer.sign(
    { method: c.method, protocol: 'https:', hostname: c.host, path: c.path, query, headers, body: c.body },
    { signingDate: TEST_DATE },
  );
  return out.headers['authorization'] as string;
}

for (const c of CASES) {
  test(`ok/hmac matches @smithy/signature-v4: ${c.name}`, async () => {
    const ours = signHmacRequest(toRaw(c), c.session ? SESSION : CREDS, { region: c.region, service: c.service, date: TEST_DATE });
    const theirs = await smithySign(c);
    assert.match(theirs, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240102\//);
    assert.equal(ours.headers['authorization'], theirs);
  });

  test(`ok/hmac our signature verifies: ${c.name}`, () => {
    const ours = signHmacRequest(toRaw(c), c.session ? SESSION : CREDS, { region: c.region, service: c.service, date: TEST_DATE });
    const auth = parseAuthorization(ours.headers['authorization']);
    assert.ok(auth.ok);
    assert.deepEqual(verifyHmacRequest(ours, auth.value, CREDS.secretAccessKey, { now: TEST_DATE }), { ok: true });
  });
}

const botocoreSkip = requireOrSkip(botocoreAvailable(), 'python3 with botocore is not installed');

function botocoreCase(c: Case, headers: Array<[string, string]>, amzDate = '20240102T030405Z'): BotocoreCase {
  return {
    method: c.method, host: c.host, path: c.path, params: c.params, headers, body: typeof c.body === 'string' ? c.body : '',
    amzDate, region: c.region, service: c.service, ...(c.session ? SESSION : CREDS),
  };
}

test('ok/hmac matches botocore SigV4Auth for every case', { skip: botocoreSkip }, () => {
  // botocore needs the Host header explicitly when the URL has a port it would otherwise keep.
  const results = botocoreSign(CASES.map((c) => botocoreCase(c, [['Host', c.host], ...c.headers])));
  CASES.forEach((c, i) => {
    const ours = signHmacRequest(toRaw(c), c.session ? SESSION : CREDS, { region: c.region, service: c.service, date: TEST_DATE });
    const auth = parseAuthorization(ours.headers['authorization']);
    assert.ok(auth.ok);
    const cr = canonicalRequest(ours, auth.value.signedHeaders);
    assert.ok(cr.ok);
    assert.match(results[i]?.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    assert.equal(cr.value, results[i]?.canonicalRequest, c.name);
    assert.equal(ours.headers['authorization'], results[i]?.authorization, c.name);
  });
});

test('ok/hmac repeated header values match botocore', { skip: botocoreSkip }, () => {
  const c: Case = { name: 'repeated', method: 'GET', host: 'example.amazonaws.com', path: '/', params: [], body: '',
    headers: [['X-Multi', ' one '], ['X-Multi', 'two  three']], region: 'us-east-1', service: 'svc' };
  const [boto] = botocoreSign([botocoreCase(c, [['Host', c.host], ...c.headers])]);
  const raw: RawHttpRequest = { method: 'GET', path: '/', query: '', body: '',
    headers: { host: c.host, 'x-multi': [' one ', 'two  three'] } };
  const ours = signHmacRequest(raw, CREDS, { region: c.region, service: c.service, date: TEST_DATE });
  assert.ok(boto?.canonicalRequest.includes('x-multi:one,two three\n'));
  assert.equal(ours.headers['authorization'], boto?.authorization);
});

test('ok/x509 canonical request equals botocore SigV4Auth.canonical_request', { skip: botocoreSkip }, async () => {
  const id = ecIdentity('P-256');
  const params: Array<[string, string]> = [
    ['profileArn', 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp'],
    ['roleArn', 'arn:aws:iam::000000000000:role/ExampleRole'],
    ['trustAnchorArn', 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt'],
  ];
  const c: Case = { name: 'x509', method: 'POST', host: 'ra.example.internal:8443', path: '/sessions', params, body: '{"durationSeconds":900}',
    headers: [['Content-Type', 'application/json'], ['Amz-Sdk-Request', 'attempt=1;  max=3']], region: 'eu-central-1', service: 'rolesanywhere' };
  const req = await signX509Request({
    request: toRaw(c), signer: newFileX509Signer(id.privateKey), certificateDer: id.certificateDer,
    chainDer: [Buffer.from('ca-1'), Buffer.from('ca-2')], serialDecimal: id.serialDecimal, region: c.region, date: TEST_DATE,
  });
  const auth = parseAuthorization(req.headers['authorization']);
  assert.ok(auth.ok);
  const ours = canonicalRequest(req, auth.value.signedHeaders);
  assert.ok(ours.ok);
  const headers = Object.entries(req.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]) => [k, v as string] as [string, string]);
  const [boto] = botocoreSign([botocoreCase(c, headers)]);
  assert.ok(ours.value.includes('\nx-amz-x509-chain:'), 'the chain header is signed');
  assert.ok(ours.value.includes('\nhost:ra.example.internal:8443\n'));
  assert.equal(ours.value, boto?.canonicalRequest);
});
