// Shared test fixtures: the committed RSA vector key/cert, runtime EC keys, request builders
// and the botocore bridge. Not a test file itself (no `.test.ts`).
import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawHttpRequest } from '../src/index.js';

const vectorsDir = fileURLToPath(new URL('./vectors/', import.meta.url));

export interface X509Vector {
  description: string;
  keyFile: string;
  certFile: string;
  date: string;
  region: string;
  serialDecimal: string;
  request: { method: string; path: string; query: string; headers: Record<string, string>; body: string };
  expected: { xAmzDate: string; xAmzX509: string; canonicalRequest: string; stringToSign: string; authorization: string };
}

export function loadVectors(): X509Vector[] {
  return JSON.parse(readFileSync(vectorsDir + 'x509-vectors.json', 'utf8')) as X509Vector[];
}

export function vectorFile(name: string): string {
  return readFileSync(vectorsDir + name, 'utf8');
}

export interface TestIdentity {
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificateDer: Buffer;
  serialDecimal: string;
}

/** The committed RSA-2048 key and its self-signed certificate (serial 2). */
export function rsaVectorIdentity(): TestIdentity {
  const cert = new X509Certificate(vectorFile('x509-rsa-cert.pem'));
  return {
    privateKey: createPrivateKey(vectorFile('x509-rsa-key.pem')),
    publicKey: cert.publicKey,
    certificateDer: cert.raw,
    serialDecimal: BigInt('0x' + cert.serialNumber).toString(10),
  };
}

/**
 * An EC identity. The signature checks need only the key and the serial, so the "certificate"
 * is a stand-in DER blob: the protocol layer never parses certificates (that is @mooring/pki).
 */
export function ecIdentity(namedCurve: 'P-256' | 'P-384', serialDecimal = '1234567890123456789012345'): TestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return { privateKey, publicKey, certificateDer: Buffer.from(`stand-in cert for ${namedCurve}`), serialDecimal };
}

export const TEST_REGION = 'us-east-1';
export const TEST_DATE = new Date('2024-01-02T03:04:05Z');
export const PROFILE_ARN = 'arn:aws:rolesanywhere:us-east-1:000000000000:profile/pppp';
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/ExampleRole';
export const TRUST_ANCHOR_ARN = 'arn:aws:rolesanywhere:us-east-1:000000000000:trust-anchor/tttt';

/** A CreateSession request as the Go helper builds it, before signing (ARNs in the query). */
export function createSessionRequest(overrides: Partial<RawHttpRequest> = {}): RawHttpRequest {
  const q = new URLSearchParams({ profileArn: PROFILE_ARN, roleArn: ROLE_ARN, trustAnchorArn: TRUST_ANCHOR_ARN });
  return {
    method: 'POST',
    path: '/sessions',
    query: q.toString(),
    headers: {
      Host: 'rolesanywhere.us-east-1.amazonaws.com',
      'Content-Type': 'application/json',
      'User-Agent': 'CredHelper/1.8.0 (go1.24.13; linux; amd64)',
    },
    body: '{"durationSeconds":3600}',
    ...overrides,
  };
}

/** A CreateSession request as the Java plugin builds it: everything in the JSON body. */
export function createSessionRequestWithBodyArns(): RawHttpRequest {
  return createSessionRequest({
    query: '',
    body: JSON.stringify({ durationSeconds: 3600, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, trustAnchorArn: TRUST_ANCHOR_ARN }),
  });
}

export function botocoreAvailable(): boolean {
  try {
    return spawnSync('python3', ['-c', 'import botocore.auth'], { stdio: 'ignore', timeout: 20000 }).status === 0;
  } catch {
    return false;
  }
}

export interface BotocoreCase {
  method: string;
  host: string;
  path: string;
  /** Decoded query pairs, as botocore's request.params. */
  params: Array<[string, string]>;
  /** Header pairs in order; a repeated name is added twice. */
  headers: Array<[string, string]>;
  body: string;
  amzDate: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface BotocoreResult {
  canonicalRequest: string;
  authorization: string;
}

const BOTOCORE_SCRIPT = `
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
out = []
for c in json.load(sys.stdin):
    req = AWSRequest(method=c['method'], url='https://' + c['host'] + c['path'], data=c['body'].encode('utf-8'))
    for k, v in c['headers']:
        req.headers[k] = v  # HTTPHeaders appends, so repeated names stay repeated
    req.params = [tuple(p) for p in c['params']]
    req.context['timestamp'] = c['amzDate']
    auth = SigV4Auth(Credentials(c['accessKeyId'], c['secretAccessKey'], c.get('sessionToken')), c['service'], c['region'])
    auth._modify_request_before_signing(req)
    cr = auth.canonical_request(req)
    sig = auth.signature(auth.string_to_sign(req, cr), req)
    auth._inject_signature_to_request(req, sig)
    out.append({'canonicalRequest': cr, 'authorization': req.headers['Authorization']})
json.dump(out, sys.stdout)
`;

/** Runs every case through botocore's SigV4Auth in one python3 process. */
export function botocoreSign(cases: BotocoreCase[]): BotocoreResult[] {
  const r = spawnSync('python3', ['-c', BOTOCORE_SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`botocore bridge failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as BotocoreResult[];
}
