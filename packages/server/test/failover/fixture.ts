// The walkthrough's resources, created through the real APIs of one replica, and a CreateSession
// target for @mooring/client with a file signer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import { newFileX509Signer } from '@mooring/protocol';
import type { CreateSessionOptions } from '@mooring/client';
import { queryBody, signedCall, WALKTHROUGH_TRUST_POLICY } from '@mooring/server';
import { adminOf } from './mooring-process.js';

const DAY = 24 * 3600 * 1000;

export type SessionTarget = Omit<CreateSessionOptions, 'endpoint'>;

export interface Fixture {
  ca: ReturnType<typeof createCertificateAuthority>;
  leaf: ReturnType<typeof issueLeafCertificate>;
  trustAnchorArn: string;
  trustAnchorId: string;
  profileArn: string;
  roleArn: string;
  /** Every replica serves the same TLS certificate (copied data dir), so one CA bundle. */
  tlsCa: string;
  target: SessionTarget;
  /** A control-plane call signed by the bootstrap admin. */
  call(endpoint: string, service: string, method: string, path: string, body?: string, contentType?: string): ReturnType<typeof signedCall>;
}

export async function setUpWalkthrough(endpoint: string, dataDir: string): Promise<Fixture> {
  const tlsCa = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
  const admin = adminOf(dataDir);
  const call: Fixture['call'] = (ep, service, method, path, body = '', contentType = 'application/json') =>
    signedCall({ endpoint: ep, method, path, body, contentType, service, region: 'us-east-1', credentials: admin, ca: tlsCa });
  const now = new Date();
  const ca = createCertificateAuthority({ subject: [['CN', 'Failover CA']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
  const leaf = issueLeafCertificate(ca, { subject: [['CN', 'myContainer']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY) });
  const role = await call(endpoint, 'iam', 'POST', '/', queryBody({ Action: 'CreateRole', Version: '2010-05-08', RoleName: 'bucket-lister', AssumeRolePolicyDocument: WALKTHROUGH_TRUST_POLICY }), 'application/x-www-form-urlencoded; charset=utf-8');
  assert.equal(role.status, 200, role.body);
  const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(role.body)![1]!;
  const ta = await call(endpoint, 'rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'ca', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
  assert.equal(ta.status, 201, ta.body);
  const anchor = (JSON.parse(ta.body) as { trustAnchor: { trustAnchorArn: string; trustAnchorId: string } }).trustAnchor;
  const profile = await call(endpoint, 'rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: 'p', enabled: true, roleArns: [roleArn] }));
  assert.equal(profile.status, 201, profile.body);
  const profileArn = (JSON.parse(profile.body) as { profile: { profileArn: string } }).profile.profileArn;
  return {
    ca,
    leaf,
    trustAnchorArn: anchor.trustAnchorArn,
    trustAnchorId: anchor.trustAnchorId,
    profileArn,
    roleArn,
    tlsCa,
    call,
    target: {
      region: 'us-east-1',
      trustAnchorArn: anchor.trustAnchorArn,
      profileArn,
      roleArn,
      signer: newFileX509Signer(leaf.key),
      certificateDer: leaf.der,
      tls: { ca: tlsCa },
      // The drills do their own failover; one attempt per replica keeps every outcome visible.
      maxAttempts: 1,
    },
  };
}
