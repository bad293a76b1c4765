import type { ResourceTag } from './tag.js';

export type SourceType = 'AWS_ACM_PCA' | 'CERTIFICATE_BUNDLE' | 'SELF_SIGNED_REPOSITORY';
export type NotificationEvent = 'CA_CERTIFICATE_EXPIRY' | 'END_ENTITY_CERTIFICATE_EXPIRY';

export interface NotificationSetting {
  enabled: boolean;
  event: NotificationEvent;
  threshold?: number;
  channel: 'ALL';
  configuredBy: string;
}

/** service-spec §3.1 TrustAnchorDetail, as the domain keeps it. */
export interface TrustAnchor {
  trustAnchorId: string;
  trustAnchorArn: string;
  name: string;
  enabled: boolean;
  source: { sourceType: SourceType; sourceData: { x509CertificateData?: string; acmPcaArn?: string } };
  notificationSettings: NotificationSetting[];
  tags: ResourceTag[];
  createdAt: Date;
  updatedAt: Date;
}

/** Defaults observed on a real CreateTrustAnchor response (service-spec §3.1, §9). */
export function defaultNotificationSettings(): NotificationSetting[] {
  return [
    { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com' },
    { enabled: true, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com' },
  ];
}
