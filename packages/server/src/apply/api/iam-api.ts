import { Agent } from 'node:https';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type Policy,
  type PolicyVersion,
  type Role,
  type Tag,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ApiError, type Connection } from './connection.js';

export type { Policy as IamPolicy, Role as IamRole, Tag as IamTag };

/** IAM returns policy documents URL-encoded (RFC 3986; IAM API reference, Role); the JS SDK does not decode them. */
export function decodePolicyDocument(doc: string | undefined): string {
  if (doc === undefined) return '';
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

/** IAM and STS through the AWS SDK for JavaScript v3, pointed at Mooring. */
export class IamApi {
  private readonly iam: IAMClient;
  private readonly sts: STSClient;

  constructor(conn: Connection) {
    const common = {
      region: conn.region,
      endpoint: conn.endpoint,
      credentials: conn.credentials,
      maxAttempts: 2,
      requestHandler: { httpsAgent: new Agent(conn.ca ? { ca: conn.ca } : {}) },
    };
    this.iam = new IAMClient(common);
    this.sts = new STSClient(common);
  }

  close(): void {
    this.iam.destroy();
    this.sts.destroy();
  }

  private async send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      throw new ApiError(operation, e.name ?? 'Error', e.$metadata?.httpStatusCode ?? 0, e.message ?? String(err));
    }
  }

  async callerIdentity(): Promise<{ account: string; arn: string }> {
    const r = await this.send('GetCallerIdentity', () => this.sts.send(new GetCallerIdentityCommand({})));
    return { account: r.Account ?? '', arn: r.Arn ?? '' };
  }

  async listRoles(): Promise<Role[]> {
    const out: Role[] = [];
    let marker: string | undefined;
    do {
      const r = await this.send('ListRoles', () => this.iam.send(new ListRolesCommand({ MaxItems: 1000, Marker: marker })));
      out.push(...(r.Roles ?? []));
      marker = r.IsTruncated ? r.Marker : undefined;
    } while (marker);
    return out;
  }

  async roleTags(roleName: string): Promise<Tag[]> {
    const r = await this.send('ListRoleTags', () => this.iam.send(new ListRoleTagsCommand({ RoleName: roleName, MaxItems: 1000 })));
    return r.Tags ?? [];
  }

  async getRole(roleName: string): Promise<Role> {
    const r = await this.send('GetRole', () => this.iam.send(new GetRoleCommand({ RoleName: roleName })));
    return r.Role!;
  }

  async createRole(input: { RoleName: string; AssumeRolePolicyDocument: string; Path?: string; Description?: string; MaxSessionDuration?: number; Tags: Tag[] }): Promise<Role> {
    const r = await this.send('CreateRole', () => this.iam.send(new CreateRoleCommand(input)));
    return r.Role!;
  }

  async updateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }): Promise<void> {
    await this.send('UpdateRole', () => this.iam.send(new UpdateRoleCommand(input)));
  }

  async updateAssumeRolePolicy(roleName: string, document: string): Promise<void> {
    await this.send('UpdateAssumeRolePolicy', () => this.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: document })));
  }

  async deleteRole(roleName: string): Promise<void> {
    await this.send('DeleteRole', () => this.iam.send(new DeleteRoleCommand({ RoleName: roleName })));
  }

  async inlinePolicies(roleName: string): Promise<Map<string, string>> {
    const names = await this.send('ListRolePolicies', () => this.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000 })));
    const out = new Map<string, string>();
    for (const name of names.PolicyNames ?? []) {
      const p = await this.send('GetRolePolicy', () => this.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })));
      out.set(name, decodePolicyDocument(p.PolicyDocument));
    }
    return out;
  }

  async putRolePolicy(roleName: string, policyName: string, document: string): Promise<void> {
    await this.send('PutRolePolicy', () => this.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: document })));
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<void> {
    await this.send('DeleteRolePolicy', () => this.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
  }

  async attachedPolicyArns(roleName: string): Promise<string[]> {
    const r = await this.send('ListAttachedRolePolicies', () => this.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000 })));
    return (r.AttachedPolicies ?? []).map((a) => a.PolicyArn ?? '');
  }

  async attachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.send('AttachRolePolicy', () => this.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })));
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.send('DetachRolePolicy', () => this.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })));
  }

  async tagRole(roleName: string, tags: Tag[]): Promise<void> {
    if (tags.length > 0) await this.send('TagRole', () => this.iam.send(new TagRoleCommand({ RoleName: roleName, Tags: tags })));
  }

  async untagRole(roleName: string, keys: string[]): Promise<void> {
    if (keys.length > 0) await this.send('UntagRole', () => this.iam.send(new UntagRoleCommand({ RoleName: roleName, TagKeys: keys })));
  }

  /** Customer managed policies (Scope=Local). */
  async listLocalPolicies(): Promise<Policy[]> {
    const out: Policy[] = [];
    let marker: string | undefined;
    do {
      const r = await this.send('ListPolicies', () => this.iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1000, Marker: marker })));
      out.push(...(r.Policies ?? []));
      marker = r.IsTruncated ? r.Marker : undefined;
    } while (marker);
    return out;
  }

  async getPolicy(arn: string): Promise<Policy> {
    const r = await this.send('GetPolicy', () => this.iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    return r.Policy!;
  }

  async policyDocument(arn: string, versionId: string): Promise<string> {
    const r = await this.send('GetPolicyVersion', () => this.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })));
    return decodePolicyDocument(r.PolicyVersion?.Document);
  }

  async createPolicy(input: { PolicyName: string; PolicyDocument: string; Path?: string; Description?: string; Tags: Tag[] }): Promise<Policy> {
    const r = await this.send('CreatePolicy', () => this.iam.send(new CreatePolicyCommand(input)));
    return r.Policy!;
  }

  async listPolicyVersions(arn: string): Promise<PolicyVersion[]> {
    const r = await this.send('ListPolicyVersions', () => this.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })));
    return r.Versions ?? [];
  }

  async createPolicyVersion(arn: string, document: string): Promise<void> {
    await this.send('CreatePolicyVersion', () => this.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document, SetAsDefault: true })));
  }

  async deletePolicyVersion(arn: string, versionId: string): Promise<void> {
    await this.send('DeletePolicyVersion', () => this.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })));
  }

  async deletePolicy(arn: string): Promise<void> {
    await this.send('DeletePolicy', () => this.iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
  }
}
