// An in-process server on a real TLS socket (127.0.0.1:0) for the external-client conformance
// tests, plus the fixtures every client drives: a CA, a role, a CRL and a session subject.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildCrl, toPem } from '@mooring/pki';
import { Harness, sessionRequest, walkthroughSetup } from '../support/in-process.js';

export interface LiveServer {
  h: Harness;
  endpoint: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  caPem: string;
  crlFile: string;
  roleArn: string;
  /** A subject id created through CreateSession. */
  subjectId: string;
  /** Session credentials of a non-admin principal (for AccessDeniedException). */
  session: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  stop(): Promise<void>;
}

export async function startLiveServer(): Promise<LiveServer> {
  const h = await new Harness().start();
  const s = await walkthroughSetup(h);
  await h.server.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.server.app.server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'mooring-cp-'));
  writeFileSync(join(dir, 'ca-bundle.pem'), h.server.caPem);
  const crlFile = join(dir, 'crl.pem');
  writeFileSync(crlFile, toPem('X509 CRL', buildCrl({ issuer: { cert: s.ca.cert, key: s.ca.key }, thisUpdate: new Date(), revoked: [] })));
  writeFileSync(join(dir, 'ca.pem'), s.ca.pem);
  const r = await h.send(await sessionRequest({ identity: s.leaf('myContainer'), trustAnchorArn: s.trustAnchorArn, profileArn: s.profileArn, roleArn: s.roleArn }));
  if (r.status !== 201) throw new Error(r.body);
  const creds = r.json().credentialSet[0].credentials;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return {
    h,
    endpoint: `https://127.0.0.1:${port}`,
    dir,
    caPem: s.ca.pem,
    crlFile,
    roleArn: s.roleArn,
    subjectId: (r.json().subjectArn as string).split('/').pop()!,
    session: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
    env: {
      ...clean,
      AWS_ACCESS_KEY_ID: h.server.admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.server.admin.secretAccessKey,
      AWS_CA_BUNDLE: join(dir, 'ca-bundle.pem'),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
    },
    async stop() {
      await h.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
