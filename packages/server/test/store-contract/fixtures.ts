import { randomUUID } from 'node:crypto';
import type { AccessKeyRecord } from '../../src/core/iam/access-key-store.js';
import type { ManagedPolicy } from '../../src/core/iam/managed-policy.js';
import type { Role } from '../../src/core/iam/role.js';
import type { Crl } from '../../src/core/roles-anywhere/crl.js';
import type { Profile } from '../../src/core/roles-anywhere/profile.js';
import type { CredentialSummary } from '../../src/core/roles-anywhere/subject.js';
import type { TrustAnchor } from '../../src/core/roles-anywhere/trust-anchor.js';
import { defaultAttributeMappings } from '../../src/core/roles-anywhere/profile.js';
import { defaultNotificationSettings } from '../../src/core/roles-anywhere/trust-anchor.js';

export const T0 = new Date('2026-03-01T12:00:00.000Z');
const ARN = 'arn:aws:rolesanywhere:us-east-1:111122223333';

export function trustAnchor(o: Partial<TrustAnchor> = {}): TrustAnchor {
  const id = o.trustAnchorId ?? randomUUID();
  return {
    trustAnchorId: id, trustAnchorArn: `${ARN}:trust-anchor/${id}`, name: 'ta', enabled: true,
    source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n' } },
    notificationSettings: defaultNotificationSettings(), tags: [], createdAt: T0, updatedAt: T0, ...o,
  };
}

export function profile(o: Partial<Profile> = {}): Profile {
  const id = o.profileId ?? randomUUID();
  return {
    profileId: id, profileArn: `${ARN}:profile/${id}`, name: 'p', enabled: true, roleArns: ['arn:aws:iam::111122223333:role/r'],
    durationSeconds: 3600, acceptRoleSessionName: false, attributeMappings: defaultAttributeMappings(), createdBy: 'arn:aws:iam::111122223333:user/mooring-admin',
    tags: [], createdAt: T0, updatedAt: T0, ...o,
  };
}

export function crl(trustAnchorId: string, o: Partial<Crl> = {}): Crl {
  const id = o.crlId ?? randomUUID();
  return {
    crlId: id, crlArn: `${ARN}:crl/${id}`, name: 'crl', enabled: false, crlData: Buffer.from([0x30, 0x82, 0x00, 0xff, 0x00, 0x01]),
    trustAnchorArn: `${ARN}:trust-anchor/${trustAnchorId}`, trustAnchorId, issuer: 'CN=Test CA', thisUpdate: T0,
    nextUpdate: new Date(T0.getTime() + 86400000), revokedCount: 1, tags: [], createdAt: T0, updatedAt: T0, ...o,
  };
}

export function credential(serial: string, at: Date = T0, failed = false): CredentialSummary {
  return { seenAt: at, serialNumber: serial, issuer: 'CN=Test CA', enabled: true, x509CertificateData: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', failed };
}

let n = 0;
/** Role names unique per call; `base` lets a test control case and ordering. */
export function role(name = `role-${++n}-${randomUUID().slice(0, 8)}`, o: Partial<Role> = {}): Role {
  return {
    roleId: `AROA${randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase()}`, roleName: name, path: '/', arn: `arn:aws:iam::111122223333:role/${name}`,
    assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', maxSessionDuration: 3600, createDate: T0, tags: [], ...o,
  };
}

export function policy(name = `pol-${++n}-${randomUUID().slice(0, 8)}`, o: Partial<ManagedPolicy> = {}): ManagedPolicy {
  return {
    policyId: `ANPA${randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase()}`, policyName: name, path: '/', arn: `arn:aws:iam::111122223333:policy/${name}`,
    defaultVersionId: 'v1', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
    createDate: T0, updateDate: T0, tags: [], scope: 'Local', ...o,
  };
}

export function accessKey(userName: string, i: number): AccessKeyRecord {
  return {
    accessKeyId: `AKIA${String(i).padStart(4, '0')}${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    secretAccessKey: 'x'.repeat(40), userName, userArn: `arn:aws:iam::111122223333:user/${userName}`, userId: `AIDA${i}`,
    status: 'Active', createDate: new Date(T0.getTime() + i),
  };
}
