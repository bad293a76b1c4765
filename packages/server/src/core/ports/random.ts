import { randomBytes, randomUUID } from 'node:crypto';

/** Injected randomness: ids, keys and secrets all come from here so tests can pin them. */
export interface Random {
  bytes(n: number): Buffer;
  /** Lowercase RFC 4122 v4 UUID (service-spec §1: resource ids). */
  uuid(): string;
}

export const systemRandom: Random = { bytes: (n) => randomBytes(n), uuid: () => randomUUID() };
