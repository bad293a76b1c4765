// Unit tests of the canonicalisation steps and the Authorization / X-Amz-Date codecs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri, formatAmzDate, formatAuthorization,
  parseAmzDate, parseAuthorization, sha256Hex, stringToSign, uriEncode,
} from '../src/index.js';

test('ok/uriEncode keeps unreserved characters, encodes the rest as uppercase UTF-8 hex', () => {
  assert.equal(uriEncode('AZaz09-_.~'), 'AZaz09-_.~');
  assert.equal(uriEncode("a b+c/d=e&f*!'()"), 'a%20b%2Bc%2Fd%3De%26f%2A%21%27%28%29');
  assert.equal(uriEncode('é✓😀'), '%C3%A9%E2%9C%93%F0%9F%98%80');
  assert.equal(uriEncode('/a b/c', false), '/a%20b/c');
});

test('ok/canonicalUri normalises dot segments and duplicate slashes, then encodes again', () => {
  assert.equal(canonicalUri(''), '/');
  assert.equal(canonicalUri('/'), '/');
  assert.equal(canonicalUri('/sessions'), '/sessions');
  assert.equal(canonicalUri('/a/./b/../c//d/'), '/a/c/d/');
  assert.equal(canonicalUri('/../..'), '/');
  assert.equal(canonicalUri('/a%20b/c%2Fd'), '/a%2520b/c%252Fd');
  assert.equal(canonicalUri('/caf\u00e9'), '/caf%C3%A9');
});

test('ok/canonicalQuery decodes, re-encodes and sorts by name then value', () => {
  assert.equal(canonicalQuery(''), '');
  assert.equal(canonicalQuery('b=2&a=1&a=0&A=3'), 'A=3&a=0&a=1&b=2');
  assert.equal(canonicalQuery('q=a+b%20c&flag&e='), 'e=&flag=&q=a%20b%20c');
  assert.equal(canonicalQuery('x=%7e%2a!'), 'x=~%2A%21');
  assert.equal(canonicalQuery('k=a=b&&'), 'k=a%3Db');
  // Malformed escapes and invalid UTF-8 do not throw; the bytes survive.
  assert.equal(canonicalQuery('bad=%zz%E0'), 'bad=%25zz%E0');
});

test('ok/canonicalHeaders lowercases, trims, collapses spaces and joins repeats with commas', () => {
  const r = canonicalHeaders({ Host: 'h', 'X-A': ['  a   b ', 'c'], 'x-b': '\tq  r\t' }, ['host', 'x-a', 'X-B']);
  assert.deepEqual(r, { ok: true, value: 'host:h\nx-a:a b,c\nx-b:q r\n' });
});

test('fail/signed-header-missing from canonicalHeaders and canonicalRequest', () => {
  assert.deepEqual(canonicalHeaders({ host: 'h' }, ['host', 'x-gone']), { ok: false, reason: 'signed-header-missing', header: 'x-gone' });
  const req = { method: 'GET', path: '/', query: '', headers: { host: 'h', 'x-gone': undefined }, body: '' };
  assert.deepEqual(canonicalRequest(req, ['host', 'x-gone']), { ok: false, reason: 'signed-header-missing', header: 'x-gone' });
});

test('ok/canonicalRequest and stringToSign layout (AWS docs GET example)', () => {
  const req = { method: 'get', path: '/', query: 'Param2=value2&Param1=value1', headers: { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' }, body: '' };
  const cr = canonicalRequest(req, ['host', 'x-amz-date']);
  assert.ok(cr.ok);
  assert.equal(cr.value, 'GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' +
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  // Hash of the canonical request and string to sign from the AWS SigV4 test suite (get-vanilla-query-order-key-case).
  assert.equal(sha256Hex(cr.value), '816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0');
  assert.equal(stringToSign('AWS4-HMAC-SHA256', '20150830T123600Z', '20150830/us-east-1/service/aws4_request', cr.value),
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0');
  const overridden = canonicalRequest(req, ['host'], { canonicalUri: '/sessions', payloadHash: 'UNSIGNED' });
  assert.ok(overridden.ok);
  assert.match(overridden.value, /^GET\n\/sessions\n.*\nhost\nUNSIGNED$/s);
});

test('ok/parseAuthorization tolerates separators and spaces, formatAuthorization round-trips', () => {
  const text = 'AWS4-X509-RSA-SHA256 Credential=2/20240102/us-east-1/rolesanywhere/aws4_request, SignedHeaders=host;x-amz-date, Signature=ABCDEF01';
  const a = parseAuthorization(text);
  assert.ok(a.ok);
  assert.deepEqual(a.value, {
    algorithm: 'AWS4-X509-RSA-SHA256',
    credential: { id: '2', date: '20240102', region: 'us-east-1', service: 'rolesanywhere', terminator: 'aws4_request' },
    signedHeaders: ['host', 'x-amz-date'],
    signature: 'abcdef01',
  });
  assert.equal(formatAuthorization(a.value), text.replace('ABCDEF01', 'abcdef01'));
  const loose = parseAuthorization(' AWS4-X509-RSA-SHA256   Signature=abcdef01 ,SignedHeaders=Host;X-Amz-Date,Credential=2/20240102/us-east-1/rolesanywhere/aws4_request ');
  assert.deepEqual(loose, a);
  assert.deepEqual(parseAuthorization(['x']), { ok: false, reason: 'malformed' });
});

test('fail/parseAuthorization missing, duplicated, malformed', () => {
  const good = 'AWS4-HMAC-SHA256 Credential=AK/20240102/r/s/aws4_request, SignedHeaders=host, Signature=00';
  assert.deepEqual(parseAuthorization(undefined), { ok: false, reason: 'missing' });
  assert.deepEqual(parseAuthorization([]), { ok: false, reason: 'missing' });
  assert.deepEqual(parseAuthorization(''), { ok: false, reason: 'missing' });
  assert.deepEqual(parseAuthorization([good, good]), { ok: false, reason: 'duplicated' });
  for (const bad of [
    'AWS4-HMAC-SHA256',
    good.replace('aws4_request', 'aws5_request'),
    good.replace('20240102', '2024012'),
    good.replace('Signature=00', 'Signature=0'),
    good.replace(', Signature=00', ''),
    good + ', Signature=00',
    good + ', Extra=1',
    good + ',',
    good.replace('SignedHeaders=host', 'SignedHeaders=host;;x'),
    good.replace('Credential=AK/', 'Credential=/'),
  ]) {
    assert.deepEqual(parseAuthorization(bad), { ok: false, reason: 'malformed' }, bad);
  }
});

test('ok/parseAmzDate and formatAmzDate', () => {
  const d = parseAmzDate('20240229T235959Z');
  assert.equal(d?.toISOString(), '2024-02-29T23:59:59.000Z');
  assert.equal(formatAmzDate(new Date('2024-01-02T03:04:05.678Z')), '20240102T030405Z');
});

test('fail/parseAmzDate rejects anything but YYYYMMDDTHHMMSSZ', () => {
  for (const bad of ['20230229T000000Z', '20240102T240000Z', '20240102T030405', '20240102T030405+0000', '2024-01-02T03:04:05Z',
    '20240102T030405.1Z', ' 20240102T030405Z', '20240132T000000Z', '00500101T000000Z']) {
    assert.equal(parseAmzDate(bad), undefined, bad);
  }
});
