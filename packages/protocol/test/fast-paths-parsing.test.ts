// The tuned header parsers (base64 by decode-and-re-encode, hand-rolled X-Amz-Date, the
// Authorization parameter scan) must accept and reject exactly what the straightforward forms
// did, with the same results. Tricky inputs by hand plus seeded random ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmzDate, parseAmzDate, parseAuthorization } from '../src/index.js';
import { decodeStrictBase64 } from '../src/sigv4/x509-request-parser.js';
import {
  randomString, refDecodeStrictBase64, refFormatAmzDate, refParseAmzDate, refParseAuthorization, seededRandom,
} from './reference-forms.js';

function sameBase64(v: string): void {
  const got = decodeStrictBase64(v);
  const want = refDecodeStrictBase64(v);
  assert.equal(got === undefined, want === undefined, JSON.stringify(v));
  if (got && want) assert.ok(got.equals(want), JSON.stringify(v));
}

test('ok/decodeStrictBase64 accepts and rejects exactly as the regex form, padding and whitespace included', () => {
  const tricky = [
    '', '=', '==', '===', '====', 'Q', 'QQ', 'QQ=', 'QQ==', 'QQ===', 'QUI', 'QUI=', 'QUI==', 'QUJD', 'QUJD=', 'QUJDRA',
    'QR==', 'QUJ=', 'QUJE', 'QQ==QQ==', 'Q=Q=', '=QQ=', ' QQ==', 'QQ== ', 'QQ ==', 'Q Q==', 'QQ\n==', 'QQ==\n', '\tQUJD',
    'ab-_', 'ab+/', '-_-_', 'QUJD!', 'QUJD\u00e9', 'AAAA', 'AA==', 'AA', 'A===', '////', '++++', 'YWJjZA', 'YWJjZA=', 'YWJjZA==',
  ];
  for (const v of tricky) sameBase64(v);
  // Every length 0..40, padded, unpadded, with one character replaced, and URL-safe.
  const rand = seededRandom(4);
  for (let n = 0; n <= 40; n++) {
    const bytes = Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
    const padded = bytes.toString('base64');
    sameBase64(padded);
    sameBase64(padded.replace(/=+$/, ''));
    sameBase64(bytes.toString('base64url'));
    sameBase64(padded + '=');
    for (const c of [' ', '\n', '-', '_', '=', '.', '\u00e9']) {
      if (padded.length > 0) sameBase64(padded.slice(0, Math.floor(padded.length / 2)) + c + padded.slice(Math.floor(padded.length / 2) + 1));
    }
  }
  const alphabet = ['A', 'Q', 'g', 'z', '0', '9', '+', '/', '=', '=', '-', '_', ' ', '\n', '\t', '*'];
  for (let i = 0; i < 20000; i++) sameBase64(randomString(rand, alphabet, 10));
  // A real certificate-sized value takes the fast path and yields the same bytes.
  const cert = Buffer.from(Array.from({ length: 1234 }, (_, i) => (i * 131) & 0xff));
  assert.ok(decodeStrictBase64(cert.toString('base64'))?.equals(cert));
});

test('ok/parseAmzDate accepts and rejects exactly as the regex form', () => {
  const tricky = [
    '', '20240102T030405Z', '20240229T235959Z', '20230229T000000Z', '21000229T000000Z', '20000229T000000Z', '20241231T235959Z',
    '20240101T000000Z', '00000101T000000Z', '00990101T000000Z', '01000101T000000Z', '99991231T235959Z', '20241301T000000Z',
    '20240001T000000Z', '20240100T000000Z', '20240132T000000Z', '20240431T000000Z', '20240102T240000Z', '20240102T236000Z',
    '20240102T235960Z', '20240102t030405Z', '20240102T030405z', '20240102T030405', '20240102 030405Z', '2024-01-02T03:04:05Z',
    '20240102T030405.1Z', ' 20240102T030405Z', '20240102T030405Z ', '+0240102T030405Z', '-0240102T030405Z', '2024010２T030405Z',
    '2024 102T030405Z', '20240102T03040 Z', '20240102TT30405Z', '202401020T30405Z',
  ];
  for (const v of tricky) assert.deepEqual(parseAmzDate(v), refParseAmzDate(v), v);
  // Every month 00-13 and day 00-32 of years around each leap rule and the two-digit-year
  // mapping of Date.UTC, with the time fields at and past their limits.
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  for (const y of [0, 1, 4, 99, 100, 101, 104, 400, 1600, 1700, 1900, 2000, 2023, 2024, 2100, 2400, 9996, 9999]) {
    for (let mo = 0; mo <= 13; mo++) {
      for (let d = 0; d <= 32; d++) {
        for (const [h, mi, s] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [0, 60, 0], [0, 0, 60], [99, 99, 99]] as const) {
          const v = `${pad(y, 4)}${pad(mo, 2)}${pad(d, 2)}T${pad(h, 2)}${pad(mi, 2)}${pad(s, 2)}Z`;
          assert.deepEqual(parseAmzDate(v), refParseAmzDate(v), v);
        }
      }
    }
  }
  const rand = seededRandom(5);
  const two = (max: number) => String(Math.floor(rand() * max)).padStart(2, '0');
  for (let i = 0; i < 20000; i++) {
    const y = String(Math.floor(rand() * 10000)).padStart(4, '0');
    let v = `${y}${two(15)}${two(34)}T${two(26)}${two(62)}${two(62)}Z`;
    if (rand() < 0.1) {
      const at = Math.floor(rand() * v.length);
      v = v.slice(0, at) + ['x', ' ', '0', 'T', 'Z', '/', ':'][Math.floor(rand() * 7)] + v.slice(at + 1);
    }
    assert.deepEqual(parseAmzDate(v), refParseAmzDate(v), v);
  }
});

test('ok/formatAmzDate equals the toISOString form, beyond four-digit years too', () => {
  const dates = [
    new Date('2024-01-02T03:04:05.678Z'), new Date(0), new Date(Date.UTC(0, 0, 1)), new Date('0000-01-01T00:00:00Z'),
    new Date('0099-12-31T23:59:59.999Z'), new Date('9999-12-31T23:59:59.999Z'), new Date('+010000-01-01T00:00:00Z'),
    new Date('-000001-06-15T12:00:00Z'), new Date(8.64e15), new Date(-8.64e15),
  ];
  const rand = seededRandom(6);
  for (let i = 0; i < 5000; i++) dates.push(new Date(Math.floor((rand() * 2 - 1) * 8.64e15)));
  for (let i = 0; i < 5000; i++) dates.push(new Date(Math.floor(rand() * 4e11)));
  for (const d of dates) assert.equal(formatAmzDate(d), refFormatAmzDate(d), String(d.getTime()));
  // An invalid date still throws, as toISOString does.
  assert.throws(() => formatAmzDate(new Date(NaN)), RangeError);
  assert.throws(() => refFormatAmzDate(new Date(NaN)), RangeError);
});

const SIG = 'ab01'.repeat(128);
const CREDENTIAL = 'Credential=2/20240102/us-east-1/rolesanywhere/aws4_request';
const GOOD = `AWS4-X509-RSA-SHA256 ${CREDENTIAL}, SignedHeaders=content-type;host;x-amz-date, Signature=${SIG}`;

test('ok/parseAuthorization gives the same result as the Map-based parameter parse', () => {
  const tricky: Array<string | string[] | undefined> = [
    undefined, [], [GOOD], [GOOD, GOOD], '', '   ', GOOD, ` ${GOOD}\t`, GOOD.replace(/, /g, ','), GOOD.replace(/, /g, ' ,  '),
    GOOD + ',', GOOD + ', ', ',' + GOOD, GOOD.replace(', ', ',,'), GOOD + ', Extra=1', GOOD + ', Signature=00',
    // Each parameter repeated with a valid value, before or after the first copy.
    GOOD + ', Credential=x', `${GOOD}, ${CREDENTIAL}`, GOOD + ', SignedHeaders=host', GOOD + `, Signature=${SIG}`,
    GOOD.replace('Credential=', 'SignedHeaders=host, Credential='),
    GOOD.replace('Credential=', 'credential='), GOOD.replace('Credential=', 'Credential ='),
    GOOD.replace('Credential=', ' Credential = '), GOOD.replace('Credential=', '=Credential'), GOOD.replace(', Signature=', ', Signature'),
    GOOD.replace(SIG, SIG.toUpperCase()), GOOD.replace(SIG, 'Ab01'), GOOD.replace(SIG, 'abc'), GOOD.replace(SIG, ''),
    GOOD.replace(SIG, 'zz'), GOOD.replace(SIG, `${SIG}=`), GOOD.replace(SIG, `${SIG} `),
    GOOD.replace('SignedHeaders=', 'SignedHeaders=Host;'),
    GOOD.replace('host;', 'host;;'), GOOD.replace('host', '\u212Aost'), GOOD.replace('host', 'h\u00f6st'), GOOD.replace('host', 'ho st'),
    GOOD.replace('Credential=2/', 'Credential=/'), GOOD.replace('/aws4_request', '/aws4_request/x'), GOOD.replace('20240102', '2024010x'),
    GOOD.replace('AWS4-X509-RSA-SHA256 ', 'AWS4_X509 '), GOOD.replace('AWS4-X509-RSA-SHA256 ', ''), 'AWS4-X509-RSA-SHA256',
    'AWS4-X509-RSA-SHA256 ', 'A B=c', 'A Credential=a/20240102/r/s/aws4_request,SignedHeaders=h,Signature=00,__proto__=1',
    'A __proto__=1,Credential=a/20240102/r/s/aws4_request,SignedHeaders=h,Signature=00',
  ];
  for (const h of tricky) assert.deepEqual(parseAuthorization(h), refParseAuthorization(h), JSON.stringify(h));
  const rand = seededRandom(7);
  const pieces = [', ', ',', ' ', '=', 'Credential=2/20240102/r/rolesanywhere/aws4_request', 'SignedHeaders=host;x-amz-date',
    'Signature=ab', 'Signature=AB', 'Signature=abc', 'Credential', 'x=1', ';', 'Host', '\t'];
  for (let i = 0; i < 20000; i++) {
    const h = `AWS4-X509-ECDSA-SHA256 ${randomString(rand, pieces, 8)}`;
    assert.deepEqual(parseAuthorization(h), refParseAuthorization(h), h);
  }
  // A well-formed header with its three parameters in random order and spacing parses alike.
  const params = ['Credential=2/20240102/r/rolesanywhere/aws4_request', 'SignedHeaders=Host;X-Amz-Date', `Signature=${SIG}`];
  for (let i = 0; i < 2000; i++) {
    const order = [...params].sort(() => rand() - 0.5);
    const h = 'AWS4-X509-RSA-SHA256 ' + order.map((p) => (rand() < 0.5 ? p : ` ${p.replace('=', ' = ')} `)).join(rand() < 0.5 ? ',' : ', ');
    const got = parseAuthorization(h);
    assert.ok(got.ok, h);
    assert.deepEqual(got, refParseAuthorization(h), h);
  }
});
