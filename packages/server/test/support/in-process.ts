import { mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { createCertificateAuthority, issueLeafCertificate } from '@mooring/pki';
import { newFileX509Signer, signHmacRequest, signX509Request, type RawHttpRequest, type X509Signer } from '@mooring/protocol';
import { composeServer, toServerOptions, WALKTHROUGH_TRUST_POLICY, type ComposedServer } from '@mooring/server';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import type { SqliteDatabase } from '../../src/store/sqlite/database.js';

export const DAY = 24 * 3600 * 1000;
export const HOST = 'mooring.test';

export interface InjectResult {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  json: () => any;
}

/** A composed server driven through fastify's inject(): the real app, no socket. */
export class Harness {
  server!: ComposedServer;
  dir!: string;

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'mooring-test-'));
    this.server = await composeServer(toServerOptions({ dataDir: this.dir, listen: '127.0.0.1:0', logLevel: 'silent' }));
    await this.server.app.ready();
    return this;
  }

  /** The embedded database: a Harness always runs on SQLite (`--data-dir` alone). */
  get db(): SqliteDatabase {
    const db = this.server.db;
    if (!db) throw new Error('the harness server has no SQLite database');
    return db;
  }

  /** The newest `limit` audit events, newest first (the SQLite trail's list()). */
  auditEvents(limit?: number): AuditEvent[] {
    const list = this.server.audit.list;
    if (!list) throw new Error('the harness server has no SQLite audit trail');
    return list.call(this.server.audit, limit);
  }

  async stop(): Promise<void> {
    await this.server.app.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async send(req: RawHttpRequest, remoteAddress?: string): Promise<InjectResult> {
    const r = await this.server.app.inject({
      ...(remoteAddress ? { remoteAddress } : {}),
      method: req.method as 'GET',
      url: req.query ? `${req.path}?${req.query}` : req.path,
      headers: req.headers as Record<string, string>,
      payload: typeof req.body === 'string' ? req.body : Buffer.from(req.body),
    });
    return { status: r.statusCode, headers: r.headers, body: r.body, json: () => JSON.parse(r.body) };
  }

  /** A SigV4 (HMAC) call as the bootstrap admin. */
  async admin(service: string, method: string, path: string, body = '', query = ''): Promise<InjectResult> {
    const ct = service === 'rolesanywhere' ? 'application/json' : 'application/x-www-form-urlencoded; charset=utf-8';
    const signed = signHmacRequest(
      { method, path, query, headers: { host: HOST, ...(body ? { 'content-type': ct } : {}) }, body },
      { accessKeyId: this.server.admin.accessKeyId, secretAccessKey: this.server.admin.secretAccessKey },
      { region: 'us-east-1', service, date: new Date() },
    );
    return this.send(signed);
  }

  async iam(params: Record<string, string>): Promise<InjectResult> {
    return this.admin('iam', 'POST', '/', new URLSearchParams({ Version: '2010-05-08', ...params }).toString());
  }
}

export interface Identity {
  der: Buffer;
  key: KeyObject;
  serialHex: string;
  serialDecimal: string;
}

/** One CA with a walkthrough-style role, trust anchor and profile. */
export async function walkthroughSetup(h: Harness) {
  const now = new Date();
  const ca = createCertificateAuthority({ subject: [['CN', 'Test CA']], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
  const leaf = (cn: string, opts: Parameters<typeof issueLeafCertificate>[1] extends infer O ? Partial<O> : never = {}) => {
    const l = issueLeafCertificate(ca, { subject: [['CN', cn]], key: 'p256', notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 30 * DAY), ...opts });
    return { der: l.der, key: l.key, serialHex: l.cert.serialHex, serialDecimal: l.cert.serialDecimal, pem: l.pem, keyPem: l.keyPem } as Identity & { pem: string; keyPem: string };
  };
  const role = await h.iam({ Action: 'CreateRole', RoleName: 'bucket-lister', AssumeRolePolicyDocument: WALKTHROUGH_TRUST_POLICY });
  if (role.status !== 200) throw new Error(role.body);
  const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(role.body)![1]!;
  const ta = await h.admin('rolesanywhere', 'POST', '/trustanchors', JSON.stringify({ name: 'ca', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.pem } } }));
  if (ta.status !== 201) throw new Error(ta.body);
  const profile = await h.admin('rolesanywhere', 'POST', '/profiles', JSON.stringify({ name: 'p', enabled: true, roleArns: [roleArn] }));
  if (profile.status !== 201) throw new Error(profile.body);
  return {
    ca,
    leaf,
    roleArn,
    trustAnchorArn: ta.json().trustAnchor.trustAnchorArn as string,
    trustAnchorId: ta.json().trustAnchor.trustAnchorId as string,
    profileArn: profile.json().profile.profileArn as string,
    profileId: profile.json().profile.profileId as string,
  };
}

export interface SessionRequestOptions {
  identity: Identity;
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  body?: Record<string, unknown>;
  arnsIn?: 'query' | 'body';
  date?: Date;
  chain?: Buffer[];
  signer?: X509Signer;
  /** Further headers, signed with the rest. */
  headers?: Record<string, string>;
}

/** A CreateSession request signed exactly as the Go helper signs it. */
export async function sessionRequest(o: SessionRequestOptions): Promise<RawHttpRequest> {
  const arns = { profileArn: o.profileArn, roleArn: o.roleArn, trustAnchorArn: o.trustAnchorArn };
  const inBody = o.arnsIn === 'body';
  const query = inBody ? '' : new URLSearchParams(arns).toString().replace(/\+/g, '%20');
  const body = JSON.stringify({ durationSeconds: 3600, ...(inBody ? arns : {}), ...(o.body ?? {}) });
  return signX509Request({
    request: { method: 'POST', path: '/sessions', query, headers: { host: HOST, 'content-type': 'application/json', ...o.headers }, body },
    signer: o.signer ?? newFileX509Signer(o.identity.key),
    certificateDer: o.identity.der,
    ...(o.chain ? { chainDer: o.chain } : {}),
    serialDecimal: o.identity.serialDecimal,
    region: 'us-east-1',
    date: o.date ?? new Date(),
  });
}

/**
 * Registers the usual before/after hooks of a describe block: start `h`, run the walkthrough
 * setup, hand it and the `CN=myContainer` leaf to `ready`; stop `h` afterwards.
 */
export function walkthroughHooks(h: Harness, ready: (s: Awaited<ReturnType<typeof walkthroughSetup>>, me: Identity) => void): void {
  before(async () => {
    await h.start();
    const s = await walkthroughSetup(h);
    ready(s, s.leaf('myContainer'));
  });
  after(() => h.stop());
}

/**
 * `walkthroughHooks` for a describe block that needs only the usual fixture: the harness, and
 * the setup and `CN=myContainer` leaf once the block's `before` has run.
 */
export function walkthroughSuite(): { h: Harness; setup(): Awaited<ReturnType<typeof walkthroughSetup>>; me(): Identity } {
  const h = new Harness();
  let ready: { setup: Awaited<ReturnType<typeof walkthroughSetup>>; me: Identity } | undefined;
  walkthroughHooks(h, (setup, me) => {
    ready = { setup, me };
  });
  const get = () => {
    if (!ready) throw new Error('the walkthrough fixture is ready only inside tests');
    return ready;
  };
  return { h, setup: () => get().setup, me: () => get().me };
}
