import { crlHandler } from './crl.js';
import { iamManagedPolicyHandler } from './iam-managed-policy.js';
import { iamRoleHandler } from './iam-role.js';
import { profileHandler } from './profile.js';
import type { ResourceHandler } from './resource-handler.js';
import { trustAnchorHandler } from './trust-anchor.js';

/** The resource types `mooring apply` supports, by CloudFormation type name. */
export const RESOURCE_HANDLERS: ReadonlyMap<string, ResourceHandler> = new Map(
  [iamManagedPolicyHandler, iamRoleHandler, trustAnchorHandler, profileHandler, crlHandler].map((h) => [h.type, h]),
);

/**
 * Order in which resources no longer in the template are deleted with --prune: things that
 * refer to others first (profiles name roles, CRLs belong to trust anchors).
 */
export const PRUNE_ORDER: readonly string[] = [
  'AWS::RolesAnywhere::Profile',
  'AWS::RolesAnywhere::CRL',
  'AWS::RolesAnywhere::TrustAnchor',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
];
