// A CreateSession test server: parses and verifies each request with @mooring/protocol and
// answers with the 201 JSON of signing-helper-spec §3, or whatever the test scripts.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseX509Request, verifyX509Signature, type RawHttpRequest } from '@mooring/protocol';

export interface SeenRequest {
  raw: RawHttpRequest;
  /** 'ok' or the verification failure reason. */
  verdict: string;
  url: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface TestServer {
  url: string;
  seen: SeenRequest[];
  /** Next replies, in order; when empty, a 201 with credentials. */
  replies: Reply[];
  expiration: () => string;
  close(): Promise<void>;
}

export const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLE',
};

export function successBody(expiration: string): string {
  return JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: { arn: 'arn:aws:sts::000000000000:assumed-role/ExampleRole/2', assumedRoleId: 'AROAEXAMPLE:2' },
        credentials: { ...CREDENTIALS, expiration },
        packedPolicySize: 10,
        roleArn: 'arn:aws:iam::000000000000:role/ExampleRole',
        sourceIdentity: 'CN=rsa client',
      },
    ],
    subjectArn: 'arn:aws:rolesanywhere:us-east-1:000000000000:subject/41cl0bae-6783-40d4-ab20-65dc5d922e45',
  });
}

export async function startServer(opts: { tls?: { cert: string; key: string }; region?: string } = {}): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const replies: Reply[] = [];
  const state = { expiration: () => '2099-01-01T00:00:00Z' };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const raw: RawHttpRequest = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push({ raw, verdict: verify(raw, opts.region ?? 'us-east-1'), url });
      const reply = replies.shift() ?? { status: 201, body: successBody(state.expiration()) };
      res.writeHead(reply.status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...reply.headers });
      res.end(reply.body);
    });
  };
  const server = opts.tls
    ? https.createServer({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    replies,
    get expiration() {
      return state.expiration;
    },
    set expiration(fn: () => string) {
      state.expiration = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function verify(raw: RawHttpRequest, region: string): string {
  const parsed = parseX509Request(raw, { now: new Date(), region });
  if (!parsed.ok) return parsed.reason;
  const cert = new X509Certificate(parsed.value.certificateDer);
  const serialDecimal = BigInt('0x' + cert.serialNumber).toString();
  const result = verifyX509Signature(raw, parsed.value, { publicKey: cert.publicKey, serialDecimal });
  return result.ok ? 'ok' : result.reason;
}
