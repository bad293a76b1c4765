/** service-spec §3.5 / §8: one subject per distinct X.509 subject DN. */
export interface CredentialSummary {
  seenAt: Date;
  serialNumber: string; // lowercase hex, like the session name
  issuer: string; // RFC 4514 issuer DN
  enabled: boolean;
  x509CertificateData: string; // PEM
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
}
