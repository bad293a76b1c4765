import type { ServiceConfig } from '../ports/service-config.js';
import type { ManagedPolicy } from './managed-policy.js';
import { policyArn } from './policy-arn.js';

/**
 * The AWS managed policies this server can attach. We only ship policies whose document we can
 * reproduce exactly; attaching any other `arn:aws:iam::aws:policy/…` answers NoSuchEntity, so a
 * role never silently gets fewer (or more) permissions than the operator expects from AWS.
 *
 * AdministratorAccess: document, id and dates as IAM reports them (`aws iam get-policy
 * --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`, version v1).
 * ReadOnlyAccess is deliberately absent: its AWS document lists thousands of service actions
 * and changes monthly; a partial copy would be wrong either way.
 */
const CATALOGUE: ReadonlyArray<Omit<ManagedPolicy, 'arn' | 'scope' | 'tags'>> = [
  {
    policyName: 'AdministratorAccess',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    defaultVersionId: 'v1',
    document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    createDate: new Date('2015-02-06T18:39:46Z'),
    updateDate: new Date('2015-02-06T18:39:46Z'),
  },
];

export function awsManagedPolicies(config: ServiceConfig): ManagedPolicy[] {
  return CATALOGUE.map((p) => ({ ...p, arn: policyArn(config, 'AWS', p.path, p.policyName), scope: 'AWS' as const, tags: [] }));
}

export function findAwsManagedPolicy(config: ServiceConfig, arn: string): ManagedPolicy | undefined {
  return awsManagedPolicies(config).find((p) => p.arn === arn);
}
