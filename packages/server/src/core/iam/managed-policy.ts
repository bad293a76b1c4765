import type { Tag } from './role.js';

/**
 * A managed policy (IAM API reference: Policy, PolicyVersion): up to five versions `v1`, `v2`, …
 * (never reused), one of them the default, whose document is `document`.
 */
export interface ManagedPolicy {
  /** 'ANPA' + 17 upper-case alphanumerics. */
  policyId: string;
  policyName: string;
  /** '/' or '/a/b/' */
  path: string;
  /** arn:<partition>:iam::<account|aws>:policy<path><name> */
  arn: string;
  description?: string;
  defaultVersionId: string;
  /** The default version's document, exactly as the caller sent it (URL-decoded JSON text). */
  document: string;
  createDate: Date;
  updateDate: Date;
  tags: Tag[];
  /** 'Local' = customer managed (stored); 'AWS' = built in (see aws-managed-policies.ts). */
  scope: 'Local' | 'AWS';
}

/** A managed policy with the number of roles it is attached to in this deployment. */
export interface ManagedPolicyWithUsage extends ManagedPolicy {
  attachmentCount: number;
}

/** IAM API reference: AttachedPolicy. */
export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
}

/** IAM API reference: PolicyVersion. */
export interface PolicyVersion {
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createDate: Date;
}
