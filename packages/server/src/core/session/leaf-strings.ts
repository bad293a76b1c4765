import { formatName, toPem, type ParsedCertificate } from '@mooring/pki';

/** The text forms of a leaf that every CreateSession writes (subject record, audit record). */
export interface LeafStrings {
  subject: string;
  issuer: string;
  pem: string;
}

const memo = new WeakMap<ParsedCertificate, LeafStrings>();

/**
 * Formats a leaf's subject and issuer DNs and its PEM once per parsed certificate. The
 * validated-path cache hands out the same ParsedCertificate for the same DER, so a returning
 * workload pays a map lookup instead of re-formatting (issue [scale] CPU budget). Derived only
 * from the immutable certificate, so it can never be stale; held weakly, so it goes with the leaf.
 */
export function leafStrings(leaf: ParsedCertificate): LeafStrings {
  let s = memo.get(leaf);
  if (!s) {
    s = { subject: formatName(leaf.subject), issuer: formatName(leaf.issuer), pem: toPem('CERTIFICATE', leaf.der) };
    memo.set(leaf, s);
  }
  return s;
}
