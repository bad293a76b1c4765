// The transport floor (issue [scale] benchmark, "against the physical limit"): the least any
// Node HTTPS server can spend per CreateSession-shaped request. Same listener type, TLS
// certificate, keep-alive, request bytes and response size as Mooring's; per request it reads
// the body, performs exactly ONE crypto.verify of the benchmark's key type and answers 201 with
// a body the size of a real CreateSession response. Everything Mooring spends above this floor
// is its own work (parsing, path and policy checks, issuance, durable audit and subject writes).
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { DurableLog } from './durable-floor.js';

export interface FloorServer {
  port: number;
  close(): Promise<void>;
}

/** A 201 JSON body as large as a CreateSession response with its ~1 KB session token. */
const RESPONSE = JSON.stringify({ credentialSet: [{ credentials: { sessionToken: 'x'.repeat(1100) } }], subjectArn: 'y'.repeat(90) }).padEnd(1600, ' ');

/** `durable`: answer each request only after its record is durable (the durable floor). */
export async function startFloorServer(tls: { key: string; cert: string }, spec: 'rsa2048' | 'p256', durable?: DurableLog): Promise<FloorServer> {
  const { privateKey, publicKey } = spec === 'rsa2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(256, 7);
  const signature = sign('sha256', data, privateKey);
  const server: Server = createServer({ key: tls.key, cert: tls.cert, keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const ok = body.length > 0 && verify('sha256', data, publicKey, signature);
      const answer = (status: number) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(RESPONSE) });
        res.end(RESPONSE);
      };
      if (!ok || !durable) answer(ok ? 201 : 500);
      else durable.append().then(() => answer(201), () => answer(500));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('floor server has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
