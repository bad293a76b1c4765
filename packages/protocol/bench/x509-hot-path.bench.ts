// Micro-benchmark of the CreateSession verification hot path: parseX509Request,
// verifyX509Signature and, for comparison, one raw crypto.verify of the same string to sign with
// the same key (the floor the JS work sits on). Prints CPU µs per call for RSA-2048 and P-256.
//
//   node --import tsx --conditions=mooring-src packages/protocol/bench/x509-hot-path.bench.ts
//
// The request is what the server's transport hands over: lower-case header names from the raw
// header list, the Go helper's headers plus the unsigned ones an HTTP stack adds, ARNs in the
// query, a leaf certificate and one intermediate. The RSA leaf is the committed vector
// certificate; the protocol layer never parses certificates, so the P-256 leaf and the
// intermediate are stand-in blobs of typical DER sizes (a P-256 leaf ≈ 500 B, an RSA-2048
// intermediate ≈ 900 B), which is all that matters to the header work measured here.
import { constants, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import {
  canonicalRequest, formatAmzDate, newFileX509Signer, parseAuthorization, parseX509Request, sha256Hex, signX509Request,
  stringToSign, verifyX509Signature, type RawHttpRequest,
} from '../src/index.js';
import { createSessionRequest, rsaVectorIdentity, TEST_REGION } from '../test/fixtures.js';

const ITERATIONS = Number(process.env.N ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

interface Case {
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificateDer: Buffer;
  serialDecimal: string;
}

function cases(): Case[] {
  const rsa = rsaVectorIdentity();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return [
    { name: 'RSA-2048', ...rsa },
    { name: 'P-256', privateKey: ec.privateKey, publicKey: ec.publicKey, certificateDer: randomBytes(500), serialDecimal: '184467440737095516150' },
  ];
}

async function signedRequest(c: Case, date: Date): Promise<RawHttpRequest> {
  const base = createSessionRequest();
  const signed = await signX509Request({
    request: { ...base, headers: { host: base.headers['Host'] as string, 'content-type': 'application/json', 'user-agent': base.headers['User-Agent'] as string } },
    signer: newFileX509Signer(c.privateKey),
    certificateDer: c.certificateDer,
    chainDer: [randomBytes(900)],
    serialDecimal: c.serialDecimal,
    region: TEST_REGION,
    date,
  });
  // What an HTTP stack adds after signing, unsigned; the transport lower-cases names.
  return {
    ...signed,
    body: Buffer.from(signed.body),
    headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(signed.body)), 'accept-encoding': 'gzip', connection: 'keep-alive' },
  };
}

/**
 * CPU µs per call of `f` (user + system, after a warm-up): the best of ROUNDS rounds, since
 * on a shared machine the noise only ever adds time.
 */
function cpuMicros(f: () => unknown): number {
  for (let i = 0; i < 1000; i++) f();
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < ITERATIONS; i++) f();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / ITERATIONS);
  }
  return Math.min(...samples);
}

const now = new Date();
for (const c of cases()) {
  const req = await signedRequest(c, now);
  const opts = { now, region: TEST_REGION };
  const parsed = parseX509Request(req, opts);
  if (!parsed.ok) throw new Error(`parse failed: ${parsed.reason}`);
  const parts = parsed.value;
  const cert = { publicKey: c.publicKey, serialDecimal: c.serialDecimal };
  const first = verifyX509Signature(req, parts, cert);
  if (!first.ok || first.deviations.length > 0) throw new Error(`verify failed: ${JSON.stringify(first)}`);

  // The exact bytes the verifier checks, for the raw floor.
  const auth = parseAuthorization(req.headers['authorization']);
  if (!auth.ok) throw new Error('authorization');
  const cr = canonicalRequest(req, auth.value.signedHeaders, { canonicalUri: '/sessions', payloadHash: sha256Hex(req.body) });
  if (!cr.ok) throw new Error('canonical request');
  const c0 = auth.value.credential;
  const sts = Buffer.from(stringToSign(auth.value.algorithm, formatAmzDate(now), `${c0.date}/${c0.region}/${c0.service}/aws4_request`, cr.value));
  const signature = Buffer.from(auth.value.signature, 'hex');
  const rawOpts = c.publicKey.asymmetricKeyType === 'rsa'
    ? { key: c.publicKey, padding: constants.RSA_PKCS1_PADDING }
    : { key: c.publicKey, dsaEncoding: 'der' as const };
  if (!verify('sha256', sts, rawOpts, signature)) throw new Error('raw verify');

  const parse = cpuMicros(() => parseX509Request(req, opts));
  const check = cpuMicros(() => verifyX509Signature(req, parts, cert));
  const raw = cpuMicros(() => verify('sha256', sts, rawOpts, signature));
  const overhead = parse + check - raw;
  console.log(
    `${c.name.padEnd(9)} parseX509Request ${parse.toFixed(1).padStart(6)} µs   verifyX509Signature ${check.toFixed(1).padStart(6)} µs   ` +
      `raw crypto.verify ${raw.toFixed(1).padStart(6)} µs   parse+verify-raw ${overhead.toFixed(1).padStart(6)} µs`,
  );
}
