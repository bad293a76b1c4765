import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseForm, parseQueryParams } from '../../src/transport/query/form.js';
import { escapeXml, xmlDate } from '../../src/transport/query/xml.js';
import { errorResponse } from '../../src/transport/query/query-response.js';

test('ok/xml: escapes markup and replaces characters XML cannot carry', () => {
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  assert.equal(escapeXml('a\u0000b\u001Fc\tok\n'), 'a\uFFFDb\uFFFDc\tok\n');
  assert.equal(escapeXml('lone \uD800 surrogate, pair \uD83D\uDE00'), 'lone \uFFFD surrogate, pair \uD83D\uDE00');
  assert.equal(xmlDate(new Date('2025-01-02T03:04:05.678Z')), '2025-01-02T03:04:05Z');
});

test('ok/xml: error messages are escaped inside the envelope', () => {
  const r = errorResponse('iam', { status: 400, code: 'ValidationError', message: "Value '</Message><x>' bad" }, 'rid');
  assert.equal(
    r.body,
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>ValidationError</Code>' +
      '<Message>Value &apos;&lt;/Message&gt;&lt;x&gt;&apos; bad</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
  );
  assert.equal(r.headers['x-amzn-requestid'], 'rid');
});

test('ok/form: plus and percent decoding, empty pairs, names without values', () => {
  const r = parseForm('Action=GetRole&&RoleName=a%2Bb+c&Flag');
  assert.ok(r.ok);
  assert.deepEqual([...r.params], [['Action', 'GetRole'], ['RoleName', 'a+b c'], ['Flag', '']]);
});

test('fail/form: bad escapes, duplicates and invalid UTF-8 are rejected', () => {
  assert.deepEqual(parseForm('a=%E0%A4%A'), { ok: false, reason: 'malformed' });
  assert.deepEqual(parseForm('a=1&a=2'), { ok: false, reason: 'duplicate' });
  assert.deepEqual(parseQueryParams('', new Uint8Array([0x61, 0x3d, 0xff]), 'application/x-www-form-urlencoded'), { ok: false, reason: 'malformed' });
});

test('ok/form: body wins over query string; non-form bodies are ignored', () => {
  const r = parseQueryParams('Action=A&X=1', 'Action=B', 'application/x-www-form-urlencoded; charset=utf-8');
  assert.ok(r.ok);
  assert.equal(r.params.get('Action'), 'B');
  assert.equal(r.params.get('X'), '1');
  const j = parseQueryParams('Action=A', '{"Action":"B"}', 'application/json');
  assert.ok(j.ok);
  assert.equal(j.params.get('Action'), 'A');
});
