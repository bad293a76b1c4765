import type { ResourceTag } from './tag.js';

/**
 * service-spec §3.4 CrlDetail, as the domain keeps it. `crlData` is exactly the bytes the caller
 * imported (PEM or DER), echoed back unchanged (§0 "returned exactly as imported"). The parsed
 * facts are recorded at import/update so listings never re-parse.
 */
export interface Crl {
  crlId: string;
  crlArn: string;
  name: string;
  enabled: boolean;
  crlData: Buffer;
  trustAnchorArn: string;
  trustAnchorId: string;
  /** RFC 4514 issuer DN of the CRL, for operators and the audit log. */
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  revokedCount: number;
  tags: ResourceTag[];
  createdAt: Date;
  updatedAt: Date;
}

/** What CreateSession needs to decide whether a cached parsed CRL is still current. */
export interface CrlVersion {
  crlId: string;
  /** Bumped by the adapter on every write, so (crlId, version) identifies the exact bytes. */
  version: number;
}
