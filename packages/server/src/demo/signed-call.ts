import { request as httpsRequest } from 'node:https';
import { signHmacRequest, type AwsCredentialsLike, type RawHttpRequest } from '@mooring/protocol';

export interface SignedCallInput {
  endpoint: string; // https://127.0.0.1:PORT
  method: string;
  path: string;
  query?: string;
  body?: string;
  contentType?: string;
  service: string;
  region: string;
  credentials: AwsCredentialsLike;
  ca: string;
}

export interface SignedCallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A minimal SigV4 (HMAC) HTTPS client: what the demo uses to talk to the server through the
 * real APIs, with the same signer the server verifies against.
 */
export async function signedCall(input: SignedCallInput): Promise<SignedCallResult> {
  const url = new URL(input.endpoint);
  const body = input.body ?? '';
  const unsigned: RawHttpRequest = {
    method: input.method,
    path: input.path,
    query: input.query ?? '',
    headers: {
      host: url.host,
      ...(body || input.method !== 'GET' ? { 'content-type': input.contentType ?? 'application/json' } : {}),
    },
    body,
  };
  const signed = signHmacRequest(unsigned, input.credentials, { region: input.region, service: input.service, date: new Date() });
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        method: input.method,
        path: input.query ? `${input.path}?${input.query}` : input.path,
        headers: { ...(signed.headers as Record<string, string>), 'content-length': Buffer.byteLength(body) },
        ca: input.ca,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Form-encodes a Query-protocol (IAM/STS) call. */
export function queryBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
