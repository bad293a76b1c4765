import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession } from '@mooring/client';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import { newFileX509Signer } from '@mooring/protocol';
import { composeServer } from '../app/compose.js';
import { toServerOptions } from '../app/server-options.js';
import { queryBody, signedCall, type SignedCallResult } from './signed-call.js';

interface Out {
  write(s: string): unknown;
}

/** The walkthrough's trust policy (AWS Security Blog; service-spec §6.5). */
export const WALKTHROUGH_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'myContainer' } },
    },
  ],
});

const LIST_BUCKETS_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
});

function expect(cond: boolean, what: string, res?: SignedCallResult): void {
  if (!cond) throw new Error(`${what}${res ? ` (HTTP ${res.status}: ${res.body.slice(0, 300)})` : ''}`);
}

/**
 * `npm run demo`: one process, one throw-away server, the whole main job through the real
 * APIs. Returns 0 only when every step worked.
 */
export async function runDemo(out: Out): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-demo-'));
  const step = (n: number, text: string) => out.write(`\n[${n}] ${text}\n`);
  const ok = (text: string) => out.write(`    ok: ${text}\n`);
  const server = await composeServer(toServerOptions({ dataDir: dir, listen: '127.0.0.1:0', logLevel: 'silent' }));
  try {
    const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const endpoint = address.replace('http://', 'https://');
    const { config } = server;
    const admin = { accessKeyId: server.admin.accessKeyId, secretAccessKey: server.admin.secretAccessKey };
    const call = (service: string, method: string, path: string, body?: string, contentType?: string) =>
      signedCall({ endpoint, method, path, service, region: config.region, credentials: admin, ca: server.caPem, ...(body !== undefined ? { body } : {}), ...(contentType ? { contentType } : {}) });
    out.write(`Mooring demo: server on ${endpoint} (region ${config.region}, account ${config.accountId}), data in ${dir}\n`);

    step(1, 'Create a private CA and a leaf certificate for CN=myContainer (RSA 2048, as the walkthrough does)');
    const now = new Date();
    const day = 24 * 3600 * 1000;
    const ca = createCertificateAuthority({ subject: [['CN', 'Mooring demo CA']], key: 'rsa2048', notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 365 * day) });
    const leaf = issueLeafCertificate(ca, { subject: [['CN', 'myContainer']], key: 'rsa2048', notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 30 * day) });
    ok(`CA "${'Mooring demo CA'}", leaf serial ${leaf.cert.serialHex}`);

    step(2, 'IAM: create role bucket-lister (trust: rolesanywhere.amazonaws.com, CN must be myContainer) and attach list-buckets');
    const form = 'application/x-www-form-urlencoded; charset=utf-8';
    let r = await call('iam', 'POST', '/', queryBody({ Action: 'CreateRole', Version: '2010-05-08', RoleName: 'bucket-lister', AssumeRolePolicyDocument: WALKTHROUGH_TRUST_POLICY }), form);
    expect(r.status === 200, 'CreateRole failed', r);
    const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(r.body)?.[1] ?? '';
    expect(roleArn.endsWith(':role/bucket-lister'), 'CreateRole returned no role ARN', r);
    r = await call('iam', 'POST', '/', queryBody({ Action: 'PutRolePolicy', Version: '2010-05-08', RoleName: 'bucket-lister', PolicyName: 'list-buckets', PolicyDocument: LIST_BUCKETS_POLICY }), form);
    expect(r.status === 200, 'PutRolePolicy failed', r);
    ok(roleArn);

    step(3, 'Roles Anywhere: create an enabled trust anchor from the CA and a profile for the role');
    r = await call('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'myPrivateCA', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
    expect(r.status === 201, 'CreateTrustAnchor failed', r);
    const trustAnchorArn = (JSON.parse(r.body) as { trustAnchor: { trustAnchorArn: string } }).trustAnchor.trustAnchorArn;
    r = await call('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: 'bucket-lister', enabled: true, roleArns: [roleArn] }));
    expect(r.status === 201, 'CreateProfile failed', r);
    const profileArn = (JSON.parse(r.body) as { profile: { profileArn: string } }).profile.profileArn;
    ok(`trust anchor ${trustAnchorArn}`);
    ok(`profile      ${profileArn}`);

    step(4, 'CreateSession with the certificate and its private key (the signing helper\'s code, SigV4-X509)');
    const session = (certDer: Buffer, key: typeof leaf.key) =>
      createSession({ endpoint, region: config.region, trustAnchorArn, profileArn, roleArn, signer: newFileX509Signer(key), certificateDer: certDer, tls: { ca: server.caPem } });
    const creds = await session(leaf.der, leaf.key);
    expect(creds.accessKeyId.startsWith('ASIA'), 'CreateSession returned no ASIA access key');
    ok(`access key ${creds.accessKeyId}, expires ${creds.expiration} (secret and token not shown)`);

    step(5, 'STS GetCallerIdentity with the temporary credentials');
    r = await signedCall({
      endpoint, method: 'POST', path: '/', service: 'sts', region: config.region, ca: server.caPem, contentType: form,
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      body: queryBody({ Action: 'GetCallerIdentity', Version: '2011-06-15' }),
    });
    expect(r.status === 200, 'GetCallerIdentity failed', r);
    const arn = /<Arn>([^<]+)<\/Arn>/.exec(r.body)?.[1] ?? '';
    expect(arn === `arn:${config.partition}:sts::${config.accountId}:assumed-role/bucket-lister/${leaf.cert.serialHex}`, `unexpected caller ARN ${arn}`);
    ok(arn);

    step(6, 'A certificate for another CN is refused by the trust policy');
    const other = issueLeafCertificate(ca, { subject: [['CN', 'someoneElse']], key: 'p256', notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 30 * day) });
    try {
      await session(other.der, other.key);
      throw new Error('CN=someoneElse was not refused');
    } catch (err) {
      const e = err as { code?: string; message: string };
      expect(e.code === 'AccessDeniedException', `expected AccessDeniedException, got ${e.code}: ${e.message}`);
      ok(`${e.code}: ${e.message}`);
    }
    out.write('\nDemo complete: every step worked.\n');
    return 0;
  } catch (err) {
    out.write(`\nDemo FAILED: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await server.app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
