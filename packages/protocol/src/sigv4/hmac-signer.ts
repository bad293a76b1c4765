import { formatAmzDate } from './amz-date.js';
import { formatAuthorization } from './authorization.js';
import { canonicalRequest, credentialScope, stringToSign } from './canonical-request.js';
import { headerValues, presentHeaderNames, withoutHeaders } from './header-values.js';
import { payloadHashForSigning } from './payload-hash.js';
import { deriveSigningKey, hmacSignatureHex } from './signing-key.js';
import type { RawHttpRequest } from './types.js';

export interface AwsCredentialsLike {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Headers never signed by default: the SigV4 request header itself, headers that proxies and
 * HTTP stacks add or rewrite (hop-by-hop, RFC 9110 §7.6.1), and the ones smithy's
 * ALWAYS_UNSIGNABLE_HEADERS and botocore's SIGNED_HEADERS_BLACKLIST leave out, so a default
 * signature matches what the AWS SDKs produce.
 */
const UNSIGNABLE = new Set([
  'authorization', 'cache-control', 'connection', 'expect', 'from', 'keep-alive', 'max-forwards',
  'pragma', 'referer', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id',
]);

function signableByDefault(name: string): boolean {
  return !UNSIGNABLE.has(name) && !name.startsWith('proxy-') && !name.startsWith('sec-');
}

/**
 * Signs `req` with AWS4-HMAC-SHA256 (AWS SigV4 docs, "Create a signed AWS API request").
 * Returns a copy carrying X-Amz-Date, X-Amz-Security-Token (when the credentials have a
 * session token) and Authorization. The Host header must already be present: it is what the
 * server will see, and guessing it here would sign the wrong value. X-Amz-Content-SHA256 is
 * not added. `signedHeaders` narrows the signed set; host, x-amz-date and the token are always
 * signed.
 */
export function signHmacRequest(
  req: RawHttpRequest,
  creds: AwsCredentialsLike,
  opts: { region: string; service: string; date: Date; signedHeaders?: string[] },
): RawHttpRequest {
  if (headerValues(req.headers, 'host').length === 0) {
    throw new Error('signHmacRequest: the request has no Host header');
  }
  const amzDate = formatAmzDate(opts.date);
  const generated = ['authorization', 'x-amz-date', ...(creds.sessionToken ? ['x-amz-security-token'] : [])];
  const headers = withoutHeaders(req.headers, generated);
  headers['x-amz-date'] = amzDate;
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const signing: RawHttpRequest = { ...req, headers };

  const names = opts.signedHeaders
    ? [...opts.signedHeaders.map((h) => h.toLowerCase()), 'host', 'x-amz-date',
       ...(creds.sessionToken ? ['x-amz-security-token'] : [])]
    : presentHeaderNames(headers).filter(signableByDefault);
  const signedHeaders = [...new Set(names)].sort();

  const cr = canonicalRequest(signing, signedHeaders, { payloadHash: payloadHashForSigning(signing) });
  if (!cr.ok) throw new Error(`signHmacRequest: header '${cr.header}' is listed as signed but absent`);
  const date8 = amzDate.slice(0, 8);
  const scope = credentialScope(date8, opts.region, opts.service);
  const sts = stringToSign('AWS4-HMAC-SHA256', amzDate, scope, cr.value);
  const signature = hmacSignatureHex(deriveSigningKey(creds.secretAccessKey, date8, opts.region, opts.service), sts);

  headers['authorization'] = formatAuthorization({
    algorithm: 'AWS4-HMAC-SHA256',
    credential: { id: creds.accessKeyId, date: date8, region: opts.region, service: opts.service, terminator: 'aws4_request' },
    signedHeaders,
    signature,
  });
  return signing;
}
