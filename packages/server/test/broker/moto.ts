// moto as "AWS" for the broker end-to-end test: a loopback moto server whose IAM enforcement is
// switched on after setup, with the walkthrough's role, the broker's IAM user and a bucket.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runAsync } from '../support/run.js';

/**
 * moto 5's trust-policy check (moto/iam/access_control.py `_check_principal`) treats a statement
 * whose principal does not match as an explicit Deny, and raises on a statement without an "AWS"
 * principal, such as Roles Anywhere's `{"Service": "rolesanywhere.amazonaws.com"}`. In IAM a
 * statement for another principal simply does not apply (IAM User Guide, "Policy evaluation
 * logic"). This wrapper gives moto that rule, then runs moto's own server entry point unchanged.
 */
const MOTO_WRAPPER = `
import sys
from moto.iam import access_control as ac
_orig = ac.IAMPolicyStatement.is_action_permitted
def _is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    p = self._statement.get("Principal")
    if principal and isinstance(p, dict):
        aws = p.get("AWS")
        listed = [] if aws is None else (aws if isinstance(aws, list) else [aws])
        if "*" not in listed and principal not in listed:
            return ac.PermissionResult.NEUTRAL
    return _orig(self, action, resource, principal, incoming_condition_values)
ac.IAMPolicyStatement.is_action_permitted = _is_action_permitted
from moto.server import main
main(sys.argv[1:])
`;

/** Setup, before IAM enforcement: exactly what an operator creates in AWS (docs/broker.md). */
const SETUP = `
import json, sys, boto3
ep, walkthrough_trust = sys.argv[1], json.loads(sys.argv[2])
kw = dict(endpoint_url=ep, region_name="us-east-1", aws_access_key_id="AKIAMOTOSETUP0000000", aws_secret_access_key="setup")
iam, s3 = boto3.client("iam", **kw), boto3.client("s3", **kw)
broker = iam.create_user(UserName="mooring-broker")["User"]
key = iam.create_access_key(UserName="mooring-broker")["AccessKey"]
broker_statement = {"Sid": "MooringBroker", "Effect": "Allow", "Principal": {"AWS": broker["Arn"]},
                    "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}
trust = dict(walkthrough_trust, Statement=walkthrough_trust["Statement"] + [broker_statement])
role = iam.create_role(RoleName="bucket-lister", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.put_role_policy(RoleName="bucket-lister", PolicyName="list-buckets", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}))
# The same role without the broker statement: AWS STS must refuse the broker.
locked = iam.create_role(RoleName="not-for-broker", AssumeRolePolicyDocument=json.dumps(walkthrough_trust))["Role"]
roles = [role["Arn"], locked["Arn"]]
iam.put_user_policy(UserName="mooring-broker", PolicyName="mooring-broker", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:GetRole", "Resource": roles},
        {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], "Resource": roles}]}))
s3.create_bucket(Bucket="mooring-broker-e2e")
print(json.dumps({"brokerArn": broker["Arn"], "roleArn": role["Arn"], "lockedRoleArn": locked["Arn"],
                  "accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}))
`;

export interface MotoAws {
  endpoint: string;
  brokerArn: string;
  roleArn: string;
  lockedRoleArn: string;
  broker: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited: ${output()}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto did not start within 30 s: ${output()}`);
}

export async function startMoto(work: string, walkthroughTrust: object): Promise<MotoAws> {
  writeFileSync(join(work, 'moto-server.py'), MOTO_WRAPPER);
  writeFileSync(join(work, 'moto-setup.py'), SETUP);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', [join(work, 'moto-server.py'), '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(endpoint, child, () => output);
    const setup = await runAsync('python3', [join(work, 'moto-setup.py'), endpoint, JSON.stringify(walkthroughTrust)], { timeoutMs: 60_000 });
    if (setup.status !== 0) throw new Error(`moto setup failed: ${setup.stderr}`);
    const o = JSON.parse(setup.stdout) as { brokerArn: string; roleArn: string; lockedRoleArn: string; accessKeyId: string; secretAccessKey: string };
    // From here every request needs valid credentials and is checked against IAM policies.
    const auth = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '0' });
    if (!auth.ok) throw new Error(`moto reset-auth failed: ${auth.status}`);
    return { endpoint, brokerArn: o.brokerArn, roleArn: o.roleArn, lockedRoleArn: o.lockedRoleArn, broker: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
