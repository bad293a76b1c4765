import type { ResourceTag } from './tag.js';

/** service-spec §3.5 / §8: one subject per distinct X.509 subject DN. */
export interface CredentialSummary {
  seenAt: Date;
  serialNumber: string; // lowercase hex, like the session name
  issuer: string; // RFC 4514 issuer DN
  enabled: boolean;
  x509CertificateData: string; // PEM
  failed: boolean;
}

/** service-spec §3.5 InstanceProperty: what the workload reported with a CreateSession. */
export interface InstanceProperty {
  seenAt: Date;
  properties: Record<string, string>;
  failed: boolean;
}

export interface Subject {
  subjectId: string;
  subjectArn: string;
  x509Subject: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastSeenAt: Date;
  credentials: CredentialSummary[];
  instanceProperties?: InstanceProperty[];
  tags?: ResourceTag[];
}
