// A scripted stand-in for AWS IAM and STS (Query protocol, XML answers) on 127.0.0.1, so the
// issuer's real SDK wiring is tested without moto: exact AssumeRole parameters, errors, delays.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  action: string;
  params: URLSearchParams;
}

export type FakeAnswer = { status: number; body: string; delayMs?: number };

export class FakeAws {
  readonly calls: FakeCall[] = [];
  /** Answers by Action; a function is called per request. */
  handlers = new Map<string, (p: URLSearchParams) => FakeAnswer>();
  private server!: Server;
  endpoint = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const params = new URLSearchParams(body);
        const action = params.get('Action') ?? '';
        this.calls.push({ action, params });
        const h = this.handlers.get(action);
        const a = h ? h(params) : { status: 400, body: errorXml('Sender', 'InvalidAction', `no handler for ${action}`) };
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(a.status, { 'content-type': 'text/xml' }).end(a.body);
        };
        if (a.delayMs) setTimeout(send, a.delayMs).unref();
        else send();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  count(action: string): number {
    return this.calls.filter((c) => c.action === action).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export function errorXml(type: 'Sender' | 'Receiver', code: string, message: string): string {
  return `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`;
}

export function getRoleXml(role: { arn: string; name: string; trust: string; maxSessionDuration?: number }): string {
  return `<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path><RoleName>${role.name}</RoleName><RoleId>AROAEXAMPLEROLEID0001</RoleId><Arn>${role.arn}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${encodeURIComponent(role.trust)}</AssumeRolePolicyDocument><MaxSessionDuration>${role.maxSessionDuration ?? 3600}</MaxSessionDuration></Role></GetRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetRoleResponse>`;
}

export function assumeRoleXml(o: { roleArn: string; sessionName: string; packed?: number }): string {
  const assumed = o.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + `/${o.sessionName}`;
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><Arn>${assumed}</Arn><AssumedRoleId>AROAEXAMPLEROLEID0001:${o.sessionName}</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIAEXAMPLEKEY000001</AccessKeyId><SecretAccessKey>fakeSecretAccessKey0000000000000000000000</SecretAccessKey><SessionToken>FakeSessionToken</SessionToken><Expiration>2030-01-01T01:00:00Z</Expiration></Credentials>${o.packed !== undefined ? `<PackedPolicySize>${o.packed}</PackedPolicySize>` : ''}</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}
