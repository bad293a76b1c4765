import type { ResourceTag } from './tag.js';

export type CertificateField = 'x509Subject' | 'x509Issuer' | 'x509SAN';

export interface AttributeMapping {
  certificateField: CertificateField;
  mappingRules: Array<{ specifier: string }>;
}

/** service-spec §3.2 ProfileDetail. Optional members stay undefined until set. */
export interface Profile {
  profileId: string;
  profileArn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  managedPolicyArns?: string[];
  sessionPolicy?: string;
  durationSeconds: number;
  acceptRoleSessionName: boolean;
  requireInstanceProperties?: boolean;
  attributeMappings: AttributeMapping[];
  createdBy: string;
  tags: ResourceTag[];
  createdAt: Date;
  updatedAt: Date;
}

/** Default mappings attached at creation, in AWS's order (service-spec §3.2, §6.3). */
export function defaultAttributeMappings(): AttributeMapping[] {
  return [
    { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
    { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
    { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
  ];
}
