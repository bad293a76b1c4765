// Benchmark PKI: per key type a root (the trust anchor), one intermediate, and leaves; and
// CreateSession requests signed by those leaves before the clock starts (pre-signed, so the
// client's signing cost is not in the figure). Signatures are valid for ±5 minutes
// (service-spec: clock skew limit), so callers sign in batches just before sending.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { createCertificateAuthority, generateKeyPair as generateKeyPairSync, issueLeafCertificate, type IssuedCertificate, type KeySpec } from '@mooring/pki';
import type { RawHttpRequest } from '@mooring/protocol';
import { DAY, sessionRequest, type Identity } from '../test/support/in-process.js';
import type { SetupResult } from './bench-server.js';

export interface BenchPki {
  key: KeySpec;
  rootPem: string;
  intermediateDer: Buffer;
  leaves: Identity[];
}

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Leaf key pairs. RSA-2048 generation takes 0.1–0.3 s a key on this machine (50 of them were a
 * quarter of the quick bench's 60 s budget), so RSA keys are generated in the thread pool, in
 * parallel; every leaf still has its own key, as in a fleet.
 */
async function leafKeyPairs(spec: KeySpec, count: number): Promise<Array<{ privateKey: KeyObject; publicKey: KeyObject }>> {
  if (!spec.startsWith('rsa')) return Array.from({ length: count }, () => generateKeyPairSync(spec));
  return Promise.all(Array.from({ length: count }, () => generateKeyPairAsync('rsa', { modulusLength: Number(spec.slice(3)), publicExponent: 0x10001 })));
}

export async function createBenchPki(key: KeySpec, leafCount: number, leafKey: KeySpec = key): Promise<BenchPki> {
  const now = Date.now();
  const root = createCertificateAuthority({ subject: [['CN', `Bench root ${key}`]], key, notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) });
  const inter = createCertificateAuthority({ subject: [['CN', `Bench issuing ${key}`]], key, notBefore: new Date(now - DAY), notAfter: new Date(now + 300 * DAY), pathLen: 0, issuer: root });
  const leaves: Identity[] = [];
  for (const keyPair of await leafKeyPairs(leafKey, leafCount)) {
    // CN myContainer satisfies the walkthrough trust policy; the serial makes each leaf distinct.
    const l: IssuedCertificate = issueLeafCertificate(inter, { subject: [['CN', 'myContainer']], keyPair, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) });
    leaves.push({ der: l.der, key: l.key, serialHex: l.cert.serialHex, serialDecimal: l.cert.serialDecimal });
  }
  return { key, rootPem: root.pem, intermediateDer: inter.der, leaves };
}

/** `count` CreateSession requests, round-robin over the leaves starting at `offset`, signed now. */
export async function presign(pki: BenchPki, setup: SetupResult, anchorName: string, count: number, offset = 0): Promise<RawHttpRequest[]> {
  const trustAnchorArn = setup.anchors[anchorName];
  if (!trustAnchorArn) throw new Error(`no trust anchor ${anchorName}`);
  const out: RawHttpRequest[] = [];
  for (let i = 0; i < count; i++) {
    const identity = pki.leaves[(offset + i) % pki.leaves.length]!;
    out.push(await sessionRequest({ identity, trustAnchorArn, profileArn: setup.profileArn, roleArn: setup.roleArn, chain: [pki.intermediateDer] }));
  }
  return out;
}
