import { request as httpsRequest } from 'node:https';
import { signHmacRequest, uriEncode } from '@mooring/protocol';
import { ApiError, type Connection } from './connection.js';

export interface Tag {
  key: string;
  value: string;
}

/**
 * The IAM Roles Anywhere control plane (rest-json, SigV4 with signing name `rolesanywhere`;
 * service-spec §0, §2), signed with the same signer the server verifies against.
 */
export class RolesAnywhereApi {
  constructor(private readonly conn: Connection) {}

  async call<T = Record<string, unknown>>(operation: string, method: string, path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    const url = new URL(this.conn.endpoint);
    const basePath = url.pathname.replace(/\/$/, '');
    const text = body === undefined ? '' : JSON.stringify(body);
    const qs = Object.entries(query)
      .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
      .join('&');
    const signed = signHmacRequest(
      { method, path: basePath + path, query: qs, headers: { host: url.host, ...(text ? { 'content-type': 'application/json' } : {}) }, body: text },
      await this.conn.credentials(),
      { region: this.conn.region, service: 'rolesanywhere', date: new Date() },
    );
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || 443,
          method,
          path: qs ? `${basePath}${path}?${qs}` : basePath + path,
          headers: { ...(signed.headers as Record<string, string>), 'content-length': Buffer.byteLength(text) },
          ...(this.conn.ca ? { ca: this.conn.ca } : {}),
          timeout: 30_000,
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${operation}: request to ${url.host} timed out`)));
      req.on('error', reject);
      req.end(text);
    });
    if (res.status >= 200 && res.status < 300) return (res.body ? JSON.parse(res.body) : {}) as T;
    // Error code from x-amzn-ErrorType first, then the body (service-spec §0).
    let message = res.body;
    let code = String(res.headers['x-amzn-errortype'] ?? '').split(':')[0] ?? '';
    try {
      const parsed = JSON.parse(res.body) as { message?: string; Message?: string; __type?: string };
      message = parsed.message ?? parsed.Message ?? message;
      code ||= parsed.__type ?? '';
    } catch {
      // not JSON: keep the text
    }
    throw new ApiError(operation, code || `HTTP ${res.status}`, res.status, message);
  }

  /** Every item of a paginated List* operation. */
  async listAll<T>(operation: string, path: string, member: string): Promise<T[]> {
    const out: T[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<Record<string, unknown>>(operation, 'GET', path, undefined, { pageSize: '500', ...(nextToken ? { nextToken } : {}) });
      out.push(...((page[member] as T[] | undefined) ?? []));
      nextToken = page.nextToken as string | undefined;
    } while (nextToken);
    return out;
  }

  async listTags(resourceArn: string): Promise<Tag[]> {
    const r = await this.call<{ tags?: Tag[] }>('ListTagsForResource', 'GET', '/ListTagsForResource', undefined, { resourceArn });
    return r.tags ?? [];
  }

  async tag(resourceArn: string, tags: Tag[]): Promise<void> {
    if (tags.length > 0) await this.call('TagResource', 'POST', '/TagResource', { resourceArn, tags });
  }

  async untag(resourceArn: string, tagKeys: string[]): Promise<void> {
    if (tagKeys.length > 0) await this.call('UntagResource', 'POST', '/UntagResource', { resourceArn, tagKeys });
  }
}
