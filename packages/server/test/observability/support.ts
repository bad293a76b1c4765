import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServer, type ComposeOverrides } from '../../src/app/compose.js';
import { toServerOptions, type RawServerOptions } from '../../src/app/server-options.js';
import { Harness } from '../support/in-process.js';

/** The in-process Harness, composed with extra server flags and overrides. */
export class OptionsHarness extends Harness {
  constructor(
    private readonly raw: Partial<RawServerOptions> = {},
    private readonly env: ComposeOverrides = {},
  ) {
    super();
  }

  override async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'mooring-obs-'));
    this.server = await composeServer(toServerOptions({ dataDir: this.dir, listen: '127.0.0.1:0', logLevel: 'silent', ...this.raw }), this.env);
    await this.server.app.ready();
    return this;
  }

  async get(path: string) {
    const r = await this.server.app.inject({ method: 'GET', url: path });
    return { status: r.statusCode, headers: r.headers, body: r.body };
  }
}

/** The value of one Prometheus sample line, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[l[1]!] = l[2]!;
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}
