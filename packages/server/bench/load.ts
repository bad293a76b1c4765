// Load generation over real HTTPS on loopback: keep-alive agents trusting each server's CA,
// a closed loop (fixed concurrency, as fast as the server answers) and a paced loop (a target
// rate, for latency at a fraction of peak). Every loop is bounded by its request list and a deadline.
import { Agent, request } from 'node:https';
import type { RawHttpRequest } from '@mooring/protocol';

export interface Target {
  port: number;
  agent: Agent;
}

export function target(port: number, caPem: string, maxSockets = 256): Target {
  return { port, agent: new Agent({ keepAlive: true, ca: caPem, maxSockets }) };
}

export interface Outcome {
  status: number;
  ms: number;
  body?: string;
}

/** One request; the signed Host header is `mooring.test`, so TLS checks the name `localhost`. */
export function send(t: Target, r: RawHttpRequest): Promise<Outcome> {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : Buffer.from(r.body);
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: t.port, servername: 'localhost', method: r.method, path: r.query ? `${r.path}?${r.query}` : r.path, headers: { ...(r.headers as Record<string, string>), 'content-length': String(body.length) }, agent: t.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ms: performance.now() - start, ...(status === 201 ? {} : { body: Buffer.concat(chunks).toString().slice(0, 300) }) });
        });
        res.on('error', (e) => resolve({ status: 0, ms: performance.now() - start, body: e.message }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, ms: performance.now() - start, body: e.message }));
    req.end(body);
  });
}

export interface LoopResult {
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
  sessionsPerSecond: number;
  latenciesMs: number[];
}

function summarize(outcomes: Outcome[], seconds: number): LoopResult {
  let ok = 0;
  let firstError: string | undefined;
  for (const o of outcomes) {
    if (o.status === 201) ok++;
    else firstError ??= `${o.status} ${o.body ?? ''}`;
  }
  return { ok, errors: outcomes.length - ok, ...(firstError ? { firstError } : {}), seconds, sessionsPerSecond: ok / seconds, latenciesMs: outcomes.map((o) => o.ms) };
}

/**
 * Closed loop: `concurrency` workers each send the next request as soon as the previous one
 * answered, until the list is used up or `maxSeconds` passed. `targets` are used round-robin.
 */
export async function closedLoop(targets: Target[], reqs: RawHttpRequest[], concurrency: number, maxSeconds = Infinity): Promise<LoopResult> {
  let next = 0;
  const outcomes: Outcome[] = [];
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  const worker = async (w: number) => {
    while (next < reqs.length && performance.now() < deadline) {
      const i = next++;
      outcomes.push(await send(targets[(i + w) % targets.length]!, reqs[i]!));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return summarize(outcomes, (performance.now() - start) / 1000);
}

/**
 * Paced (open) loop: request i is due at start + i/rate; at most `maxInFlight` are outstanding
 * (a server slower than the rate makes the loop fall behind rather than queue without bound).
 * Latency is measured from the send, as the client sees it.
 */
export async function pacedLoop(targets: Target[], reqs: RawHttpRequest[], rate: number, maxInFlight = 256): Promise<LoopResult> {
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let i = 0; i < reqs.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const p: Promise<void> = send(targets[i % targets.length]!, reqs[i]!).then((o) => {
      outcomes.push(o);
      inFlight.delete(p);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return summarize(outcomes, (performance.now() - start) / 1000);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function round(n: number, digits = 1): number {
  return Number(n.toFixed(digits));
}
