import type { AuditCompanionWrites, AuditEvent, AuditSink } from '../../core/audit/audit-event.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import type { SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';

/**
 * The database side: commits a whole batch (the subject attempts, then the events) in one
 * durable transaction, or throws and commits none.
 */
export interface AuditBatchWriter {
  appendBatch(events: readonly AuditEvent[], subjectAttempts?: readonly SubjectAttemptWrite[]): AuditRecord[];
}

/** The file side: resolves once the records are written and fsync'd. */
export interface AuditRecordFile {
  append(records: readonly AuditRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface GroupCommitOptions {
  /** Most records per transaction; a full batch is committed without waiting. Default 256. */
  maxBatch?: number;
  /**
   * How long the first record of a batch waits for company, in ms. 0 (the default) commits on
   * the next turn of the event loop: everything the requests of one I/O poll produced goes in
   * one transaction, at no added latency. Under load, the time a commit takes is itself the
   * window, because requests keep arriving while it runs.
   */
  windowMs?: number;
}

interface Pending {
  event: AuditEvent;
  attempt: SubjectAttemptWrite | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The durable audit sink with group commit (issue [revocation-audit] item 3): records that
 * arrive close together are chained and committed to the database in ONE transaction, then
 * appended to the JSON-lines file with one fsync, and only then does every `record()` promise
 * of the group resolve. A caller that awaits `record()` before answering (CreateSession does)
 * therefore never hands out credentials whose issuance could be lost in a crash.
 *
 * Order per group: database first, then file. The database is the source of truth (chained,
 * queryable); a crash between the two leaves records in the database that the file lacks, for
 * requests nobody was answered for, and the file catches up from the database when it is next
 * opened. A failed database commit rejects the group (no credentials leave); if the batch
 * failed as a whole, each record is retried alone so one bad record cannot sink the others.
 * A failed file write also rejects the group (fail closed), even though the database has the
 * records: the operator asked for both sinks.
 */
export class GroupCommitAuditSink implements AuditSink {
  /** Database transactions committed and records written (for tests and metrics). */
  readonly stats = { transactions: 0, records: 0 };
  private queue: Pending[] = [];
  private scheduled: { cancel: () => void } | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly maxBatch: number;
  private readonly windowMs: number;

  constructor(
    private readonly db: AuditBatchWriter,
    private readonly file?: AuditRecordFile,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 256);
    this.windowMs = Math.max(0, opts.windowMs ?? 0);
  }

  /** Resolves after the event is committed to the database and fsync'd in the file. */
  record(event: AuditEvent, writes?: AuditCompanionWrites): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit sink is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, attempt: writes?.subjectAttempt, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.commitNow();
      else this.scheduled ??= this.schedule();
    });
  }

  /** Records waiting for their group's commit (the "audit queue depth" metric). */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Commits what is queued now and waits for every group in flight. */
  async flush(): Promise<void> {
    this.commitNow();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Flushes, refuses further records, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.file?.close();
  }

  private commitNow(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxBatch);
      this.commitGroup(group);
    }
  }

  private schedule(): { cancel: () => void } {
    if (this.windowMs > 0) {
      const t = setTimeout(() => this.commitNow(), this.windowMs);
      return { cancel: () => clearTimeout(t) };
    }
    const i = setImmediate(() => this.commitNow());
    return { cancel: () => clearImmediate(i) };
  }

  private commitGroup(group: Pending[]): void {
    const committed: Array<{ p: Pending; record: AuditRecord }> = [];
    try {
      const records = this.db.appendBatch(group.map((p) => p.event), attemptsOf(group));
      this.stats.transactions++;
      group.forEach((p, i) => committed.push({ p, record: records[i]! }));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(asError(err));
        return;
      }
      for (const p of group) {
        try {
          const [record] = this.db.appendBatch([p.event], attemptsOf([p]));
          this.stats.transactions++;
          committed.push({ p, record: record! });
        } catch (one) {
          p.reject(asError(one));
        }
      }
    }
    if (committed.length === 0) return;
    this.stats.records += committed.length;
    const done = (this.file ? this.file.append(committed.map((c) => c.record)) : Promise.resolve()).then(
      () => committed.forEach((c) => c.p.resolve()),
      (err: unknown) => committed.forEach((c) => c.p.reject(asError(err))),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
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
