/** Domain types for IAM roles (IAM API reference: Role, RolePolicy). */
export interface Tag {
  key: string;
  value: string;
}

export interface Role {
  /** IAM unique id, 'AROA' + 17 upper-case alphanumerics. */
  roleId: string;
  roleName: string;
  /** '/' or '/a/b/' */
  path: string;
  arn: string;
  /** The trust policy exactly as the caller sent it (URL-decoded JSON text). */
  assumeRolePolicyDocument: string;
  description?: string;
  /** 3600..43200 seconds, default 3600 (IAM CreateRole). */
  maxSessionDuration: number;
  createDate: Date;
  tags: Tag[];
}

export interface RoleInlinePolicy {
  policyName: string;
  policyDocument: string;
}
