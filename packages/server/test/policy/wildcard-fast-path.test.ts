// globMatch's string-comparison shortcuts must give exactly matchPattern's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern, globMatch, matchPattern } from '../../src/core/policy/wildcard.js';
import type { ResolvedValue } from '../../src/core/policy/policy-variables.js';

const reference = (v: ResolvedValue, s: string, ic: boolean) => matchPattern(compilePattern(v, ic), s, ic);

const ALPHABET = ['a', 'A', 'b', 's', 'T', ':', '/', '*', '?', 'É', 'é', 'Σ', 'ς', 'σ', 'İ', 'i', '\u{1F600}', '\uD83D', '\uDE00', 'K', '\u212A'];

function randomString(rand: () => number, max: number): string {
  let out = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('ok/wildcard: the fast paths agree with matchPattern on the common shapes', () => {
  const cases: Array<[string, string, boolean]> = [
    ['sts:AssumeRole', 'sts:AssumeRole', true],
    ['sts:assumerole', 'STS:AssumeRole', true],
    ['sts:*', 'sts:TagSession', true],
    ['sts:*', 'st:TagSession', true],
    ['*', '', false],
    ['*', 'anything', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key', false],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/key', false],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get?bject', 's3:GetObject', true],
    ['a*b', 'aXXb', false],
    ['CN=é*', 'CN=éa', false],
    ['σ', 'Σ', true],
    ['k', '\u212A', true],
  ];
  for (const [p, s, ic] of cases) {
    const v: ResolvedValue = [{ text: p, literal: false }];
    assert.equal(globMatch(v, s, ic), reference(v, s, ic), `${p} ~ ${s} (ignoreCase ${ic})`);
  }
  assert.equal(globMatch([{ text: 'sts:*', literal: false }], 'sts:TagSession', true), true);
  assert.equal(globMatch([{ text: '*', literal: true }], 'x', false), false, 'a literal * is an asterisk');
  assert.equal(globMatch([{ text: '*', literal: true }], '*', false), true);
});

test('ok/wildcard: 200,000 random single-part patterns give matchPattern\'s answer', () => {
  const rand = mulberry32(20261122);
  for (let i = 0; i < 200_000; i++) {
    const subject = randomString(rand, 6);
    // Half the patterns derive from the subject so that matches are common.
    let text = rand() < 0.5 ? randomString(rand, 6) : subject.slice(0, Math.floor(rand() * (subject.length + 1)));
    if (rand() < 0.5) text += '*';
    if (rand() < 0.3) text = rand() < 0.5 ? text.toUpperCase() : text.toLowerCase();
    const v: ResolvedValue = [{ text, literal: rand() < 0.2 }];
    const ic = rand() < 0.5;
    assert.equal(globMatch(v, subject, ic), reference(v, subject, ic), `${JSON.stringify(v)} ~ ${JSON.stringify(subject)} (ignoreCase ${ic})`);
  }
});
