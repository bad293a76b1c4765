import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

/** Injected randomness: ids, keys and secrets all come from here so tests can pin them. */
export interface Random {
  bytes(n: number): Buffer;
  /** Lowercase RFC 4122 v4 UUID (service-spec §1: resource ids). */
  uuid(): string;
}

const POOL_BYTES = 4096;
const POOLED_MAX = 256;

/**
 * The CSPRNG (OpenSSL's RAND_bytes through node:crypto), drawn in 4 KiB refills: every
 * CreateSession takes three small draws (key id, secret, token IV), and each separate call
 * costs more than the bytes (OpenSSL's fork check is a getpid(2) per call, a system call that
 * is slow on a VM). Node's own randomUUID pools the same way. Each byte is handed out once, as a
 * copy, and zeroed in the pool (no caller can see another's secret bytes through it).
 */
export class PooledRandom implements Random {
  private pool = Buffer.alloc(0);
  private offset = 0;

  bytes(n: number): Buffer {
    if (n > POOLED_MAX) return randomBytes(n);
    if (this.offset + n > this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
      this.offset = 0;
    }
    const out = Buffer.from(this.pool.subarray(this.offset, this.offset + n));
    this.pool.fill(0, this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  uuid(): string {
    return randomUUID();
  }
}

export const systemRandom: Random = new PooledRandom();
