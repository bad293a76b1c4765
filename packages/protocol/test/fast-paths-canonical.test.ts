// The tuned canonicalisation code (hand-written trims, the header index, the already-canonical
// shortcuts for query and path, one-shot hashing) must give exactly what the straightforward
// forms give. Each test fixes tricky inputs by hand and adds seeded random ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaders, canonicalQuery, canonicalUri, sha256Digest, sha256Hex, type RawHttpRequest } from '../src/index.js';
import { createHash } from 'node:crypto';
import { canonicalHeaderValue } from '../src/sigv4/canonical-headers.js';
import { headerValues, indexedValues, indexHeaders } from '../src/sigv4/header-values.js';
import { isUnreservedByte } from '../src/sigv4/uri-encode.js';
import {
  randomString, refCanonicalHeaders, refCanonicalHeaderValue, refCanonicalQuery, refCanonicalUri, refHeaderValues,
  refSha256Hex, seededRandom,
} from './reference-forms.js';

const base64Cert = Buffer.from(Array.from({ length: 1500 }, (_, i) => (i * 37) & 0xff)).toString('base64');

test('ok/canonicalHeaderValue equals the regex trim-and-collapse on tricky values', () => {
  const tricky = [
    '', ' ', '\t', '  \t  ', 'a', ' a', 'a ', '\ta\t', ' \t a \t ', 'a  b', 'a   b   c', 'a\t\tb', 'a \t b', 'a\t  b',
    '  a  ', '\t  a  b  \t', 'a\n', '\na', ' \n ', '\u00a0a\u00a0', 'a\u3000', 'a , b', ',', ' , ', base64Cert,
    `  ${base64Cert}\t`, `${base64Cert}  ${base64Cert}`, ' '.repeat(5000), `x${' '.repeat(5000)}y`,
  ];
  for (const v of tricky) assert.equal(canonicalHeaderValue([v]), refCanonicalHeaderValue([v]), JSON.stringify(v));
  // Repeated values, empty ones included, are trimmed one by one and joined with ','.
  for (const values of [[], ['a', 'b'], [' a ', '', '\t'], ['', ''], ['a  b', ' c\t', base64Cert]]) {
    assert.equal(canonicalHeaderValue(values), refCanonicalHeaderValue(values), JSON.stringify(values));
  }
  const rand = seededRandom(1);
  const alphabet = [' ', ' ', '\t', 'a', 'B', ',', '\n', '\r', '\u00a0', '\u2003', '=', 'é'];
  for (let i = 0; i < 3000; i++) {
    const values = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomString(rand, alphabet, 12));
    assert.equal(canonicalHeaderValue(values), refCanonicalHeaderValue(values), JSON.stringify(values));
  }
});

/** Header records a hand-built or proxied request might carry. */
function trickyRecords(): Array<RawHttpRequest['headers']> {
  return [
    {},
    { host: 'h', 'x-amz-date': '20240102T030405Z' },
    { Host: 'h', HOST: 'h2', host: ['h3', ' h4 '] },
    { 'X-Amz-X509': ` ${base64Cert} `, 'x-amz-x509': base64Cert },
    { 'x-a': [], 'X-A': undefined, 'x-A': ['', ' '], 'X-a': '\tv  w\t' },
    { 'x-a': undefined, 'x-b': [] },
    { 'content-type': ['application/json', 'text/plain'], 'Content-Type': 'x', 'CONTENT-TYPE': ['y'] },
    { 'X-\u212Aey': 'kelvin sign lower-cases to k', 'x-key': 'plain' },
    { '\u0130': 'dotted capital I lower-cases to two code units' },
  ];
}

test('ok/indexedValues and headerValues equal the Object.entries scan, repeats and mixed case included', () => {
  const names = ['host', 'x-amz-x509', 'x-a', 'x-b', 'content-type', 'x-key', 'x-\u212Aey'.toLowerCase(), 'i\u0307', 'absent'];
  for (const headers of trickyRecords()) {
    const index = indexHeaders(headers);
    for (const name of names) {
      const expected = refHeaderValues(headers, name);
      assert.deepEqual(indexedValues(index, name.toLowerCase()), expected, `${JSON.stringify(headers)} ${name}`);
      assert.deepEqual(headerValues(headers, name.toUpperCase()), refHeaderValues(headers, name.toUpperCase()), name);
    }
  }
});

test('ok/canonicalHeaders equals the straightforward form, and reports the same missing header', () => {
  const signed = [['host'], ['Host', 'x-amz-x509'], ['x-a'], ['x-a', 'x-b'], ['content-type', 'HOST'], ['x-key'], ['absent', 'host'], []];
  for (const headers of trickyRecords()) {
    for (const list of signed) {
      assert.deepEqual(canonicalHeaders(headers, list), refCanonicalHeaders(headers, list), `${JSON.stringify(headers)} ${list}`);
    }
  }
});

test('ok/the unreserved-byte table is exactly A-Z a-z 0-9 - _ . ~ (RFC 3986 §2.3)', () => {
  for (let b = -1; b <= 0x10ffff; b = b < 0x200 ? b + 1 : b * 2) {
    const expected = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) ||
      b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e;
    assert.equal(isUnreservedByte(b), expected, String(b));
  }
});

test('ok/canonicalQuery equals the decode-encode-sort form, already-canonical or not', () => {
  const tricky = [
    '', '?', '?a=1', '??a=1', 'a=1', 'a=1&b=2', 'b=2&a=1', 'a=2&a=1', 'a=1&a=1', 'a=1&a=10&a=2', '=', '=1', '=&=', 'a=&b=',
    'a', 'a&b=1', 'a=1&', '&a=1', 'a=1&&b=2', 'a==1', 'a=1=2', 'a=%3A', 'a=%3a', 'a=%41', 'a=%2F%2B%20', 'a=%2', 'a=%',
    'a=%G1', 'a=%%41', 'a=+', 'a=%2B', 'a= ', 'a=é', 'a=%C3%A9', 'a=%E0', 'a=~-._', 'a=%7E', 'a=%2D', 'A=1&a=1', 'a=1&A=1',
    '%61=1', 'a%3D=1', 'a=1;b=2', 'a=/', 'a=%2F', 'Z=%FF&a=%00',
    'profileArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A000000000000%3Aprofile%2Fpppp&roleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2FR',
    'roleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2FR&profileArn=arn%3Aaws%3Arolesanywhere%3Aus-east-1%3A0%3Aprofile%2Fp',
  ];
  for (const q of tricky) assert.equal(canonicalQuery(q), refCanonicalQuery(q), q);
  const rand = seededRandom(2);
  const alphabet = ['a', 'b', 'Z', '0', '-', '.', '_', '~', '%', '2', 'F', 'f', '3', 'A', '=', '&', '&', '+', ' ', 'é', '/', '?',
    '%3A', '%3a', '%41', '%2F', '%7E', '%C3%A9', '%FF', '%'];
  for (let i = 0; i < 20000; i++) {
    const q = randomString(rand, alphabet, 14);
    assert.equal(canonicalQuery(q), refCanonicalQuery(q), q);
  }
  // Random queries that are canonical by construction, sorted or not: the shortcut's own ground.
  const piece = ['a', 'b', 'B', '0', '-', '.', '_', '~', '%3A', '%2F', '%20', '%C3%A9'];
  for (let i = 0; i < 5000; i++) {
    const pairs = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => `${randomString(rand, piece, 3)}=${randomString(rand, piece, 3)}`);
    if (rand() < 0.5) pairs.sort();
    const q = pairs.join('&');
    assert.equal(canonicalQuery(q), refCanonicalQuery(q), q);
  }
});

test('ok/canonicalUri equals the normalise-then-encode form', () => {
  const tricky = ['', '/', '//', '/sessions', '/sessions/', '/a/b', '/a//b', '/a/./b', '/a/../b', '/.', '/..', '/a.b', '/.a', 'a',
    'sessions', '/a b', '/a%20b', '/é', '/~a-_', '/prefix/sessions', '/a/', '///', '/a:b', '/a+b'];
  for (const p of tricky) assert.equal(canonicalUri(p), refCanonicalUri(p), p);
  const rand = seededRandom(3);
  const alphabet = ['/', '/', 'a', 'Z', '9', '.', '..', '-', '_', '~', '%', '%2F', ' ', 'é', '+', ':'];
  for (let i = 0; i < 20000; i++) {
    const p = randomString(rand, alphabet, 10);
    assert.equal(canonicalUri(p), refCanonicalUri(p), p);
  }
});

test('ok/sha256Hex equals createHash over UTF-8 bytes, lone surrogates included', () => {
  for (const s of ['', 'abc', 'é✓😀', '\ud800', 'a\udc00b', '\udbff\udfff', 'x'.repeat(10000), base64Cert]) {
    assert.equal(sha256Hex(s), refSha256Hex(s), JSON.stringify(s.slice(0, 20)));
  }
  for (const b of [Buffer.alloc(0), Buffer.from('abc'), new Uint8Array([0, 255, 128]), Buffer.from(base64Cert, 'base64')]) {
    assert.equal(sha256Hex(b), refSha256Hex(b));
  }
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('ok/sha256Digest in base64 equals createHash, for strings (UTF-8) and bytes', () => {
  for (const d of ['', 'é✓😀', '\ud800', Buffer.from(base64Cert, 'base64'), new Uint8Array([0, 1, 2])]) {
    const ref = typeof d === 'string' ? createHash('sha256').update(d, 'utf8').digest('base64') : createHash('sha256').update(d).digest('base64');
    assert.equal(sha256Digest(d, 'base64'), ref);
    assert.equal(sha256Digest(d, 'hex'), sha256Hex(d));
  }
});
