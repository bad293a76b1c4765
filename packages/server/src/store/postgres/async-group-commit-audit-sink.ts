import type { AuditCompanionWrites, AuditEvent, AuditSink } from '../../core/audit/audit-event.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import type { SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';

/** Commits a whole batch (subject attempts, then events) in one durable transaction, or rejects and commits none. */
export interface AsyncAuditBatchWriter {
  appendBatch(events: readonly AuditEvent[], subjectAttempts?: readonly SubjectAttemptWrite[]): Promise<AuditRecord[]>;
}

interface Pending {
  event: AuditEvent;
  attempt: SubjectAttemptWrite | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Group commit for a networked store (issue [scale] item 5, without weakening the durability
 * rule of [revocation-audit]): at most one transaction per replica is in flight; records that
 * arrive while it runs queue up and go together in the next one. Every `record()` resolves only
 * after the COMMIT that holds its record returned, so CreateSession (which awaits it before
 * answering) never hands out credentials whose issuance is not durable. A failed batch is
 * retried record by record, so one bad record cannot sink the others; a record whose own
 * commit fails rejects (no credentials leave).
 */
export class AsyncGroupCommitAuditSink implements AuditSink {
  readonly stats = { transactions: 0, records: 0 };
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly writer: AsyncAuditBatchWriter,
    private readonly maxBatch = 256,
  ) {}

  record(event: AuditEvent, writes?: AuditCompanionWrites): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit sink is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, attempt: writes?.subjectAttempt, resolve, reject });
      // Start on the next turn, so what this I/O poll's requests produce shares a transaction.
      this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.running = undefined;
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    try {
      await this.writer.appendBatch(group.map((p) => p.event), attemptsOf(group));
      this.stats.transactions++;
      this.stats.records += group.length;
      for (const p of group) p.resolve();
      return;
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(asError(err));
        return;
      }
    }
    for (const p of group) {
      try {
        await this.writer.appendBatch([p.event], attemptsOf([p]));
        this.stats.transactions++;
        this.stats.records++;
        p.resolve();
      } catch (one) {
        p.reject(asError(one));
      }
    }
  }
}

function attemptsOf(group: readonly Pending[]): SubjectAttemptWrite[] {
  const out: SubjectAttemptWrite[] = [];
  for (const p of group) if (p.attempt) out.push(p.attempt);
  return out;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
