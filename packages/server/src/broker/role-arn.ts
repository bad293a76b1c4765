/** An IAM role ARN split into the parts broker mode needs. */
export interface RoleArnParts {
  partition: string;
  accountId: string;
  /** The path between `role/` and the name, with its slashes: `/` or `/team/`. */
  path: string;
  roleName: string;
}

// IAM ARN format (IAM User Guide, "IAM identifiers"): arn:<partition>:iam::<account>:role/<path><name>.
// Role names are 1–64 of [\w+=,.@-]; paths are / or /…/ of printable ASCII.
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

/**
 * Parses a role ARN of any account and partition: in broker mode the role's account is the AWS
 * account, not Mooring's `--account-id`, and the profile's roleArns list is the allow-list.
 */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, accountId: m[2]!, path: m[3]!, roleName: m[4]! };
}
