import { formatAmzDate } from './amz-date.js';
import { formatAuthorization } from './authorization.js';
import { canonicalRequest, credentialScope, stringToSign } from './canonical-request.js';
import { canonicalUri } from './canonical-uri.js';
import { ROLESANYWHERE_SERVICE } from './constants.js';
import { headerValues, presentHeaderNames, withoutHeaders } from './header-values.js';
import { payloadHashForSigning } from './payload-hash.js';
import type { RawHttpRequest, X509Signer } from './types.js';

export interface X509SignInput {
  /** Must already have Host and Content-Type exactly as they will be sent. */
  request: RawHttpRequest;
  signer: X509Signer;
  /** Leaf certificate, DER. */
  certificateDer: Uint8Array;
  /** Intermediates, sent in X-Amz-X509-Chain in this order. */
  chainDer?: Uint8Array[];
  /** Leaf serial as a decimal big integer (signing-helper-spec §2.6). */
  serialDecimal: string;
  region: string;
  date: Date;
}

/** Headers the Go helper never signs (`ignoredHeaderKeys`, signing-helper-spec §2.2). */
const NOT_SIGNED = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

/**
 * Signs a CreateSession request the way the official helper does (signing-helper-spec §2):
 * adds X-Amz-Date, X-Amz-X509 (standard padded base64 of the leaf DER) and, when there are
 * intermediates, X-Amz-X509-Chain (comma-joined, no spaces); signs every header present except
 * Authorization, User-Agent and X-Amzn-Trace-Id; scope `<date>/<region>/rolesanywhere/
 * aws4_request`; Credential id = the decimal serial. Returns a copy with Authorization set.
 *
 * The canonical URI is canonicalUri(request.path), which is `/sessions` for the default
 * endpoint; behind a path prefix the server also accepts the helper's literal `/sessions`.
 */
export async function signX509Request(input: X509SignInput): Promise<RawHttpRequest> {
  const { request, signer } = input;
  if (headerValues(request.headers, 'host').length === 0) {
    throw new Error('signX509Request: the request has no Host header');
  }
  if (!/^-?\d+$/.test(input.serialDecimal)) {
    throw new Error('signX509Request: serialDecimal must be a decimal integer');
  }
  const amzDate = formatAmzDate(input.date);
  const headers = withoutHeaders(request.headers, ['authorization', 'x-amz-date', 'x-amz-x509', 'x-amz-x509-chain']);
  headers['x-amz-date'] = amzDate;
  headers['x-amz-x509'] = Buffer.from(input.certificateDer).toString('base64');
  const chain = input.chainDer ?? [];
  if (chain.length > 0) headers['x-amz-x509-chain'] = chain.map((c) => Buffer.from(c).toString('base64')).join(',');
  const signing: RawHttpRequest = { ...request, headers };

  const signedHeaders = presentHeaderNames(headers).filter((h) => !NOT_SIGNED.has(h)).sort();
  const cr = canonicalRequest(signing, signedHeaders, {
    canonicalUri: canonicalUri(request.path),
    payloadHash: payloadHashForSigning(signing),
  });
  if (!cr.ok) throw new Error(`signX509Request: header '${cr.header}' vanished while signing`);
  const date8 = amzDate.slice(0, 8);
  const sts = stringToSign(signer.algorithm, amzDate, credentialScope(date8, input.region, ROLESANYWHERE_SERVICE), cr.value);
  const signature = Buffer.from(await signer.sign(Buffer.from(sts, 'utf8'))).toString('hex');

  headers['authorization'] = formatAuthorization({
    algorithm: signer.algorithm,
    credential: { id: input.serialDecimal, date: date8, region: input.region, service: ROLESANYWHERE_SERVICE, terminator: 'aws4_request' },
    signedHeaders,
    signature,
  });
  return signing;
}
