import type { AuditCompanionWrites, AuditEvent, AuditSink } from '../../core/audit/audit-event.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import type { SubjectAttemptWrite } from '../../core/roles-anywhere/subject-attempt.js';

/** One backend's side of the group commit. */
export interface AuditGroupWriter {
  /**
   * Commits the subject attempts and chains and appends the events in ONE transaction, and
   * returns the records as stored; throws (or rejects) having committed none of them.
   */
  commit(events: readonly AuditEvent[], subjectAttempts: readonly SubjectAttemptWrite[]): AuditRecord[] | Promise<AuditRecord[]>;
  /**
   * After a successful commit: whatever makes it durable before anyone is answered (fsyncs on
   * SQLite). A rejection rejects the whole group (fail closed). Absent: the commit is durable.
   */
  durable?(records: readonly AuditRecord[]): Promise<void>;
  close?(): Promise<void>;
}

export interface GroupCommitOptions {
  /** Most records per transaction. Default 256. */
  maxBatch?: number;
  /**
   * How long the first record of an idle sink waits for company, in ms. 0 (the default) commits on
   * the next turn of the event loop: everything the requests of one I/O poll produced goes in one
   * transaction. Under load the window is the previous group's commit and fsync, since at most
   * one group is in flight and what arrives meanwhile forms the next group.
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
 * The durable audit sink with group commit, for every backend (issues [revocation-audit] item 3
 * and [scale] item 5): records, and the subject attempts that travel with them, that arrive close
 * together are committed in ONE transaction and made durable together, and only then does every
 * `record()` promise of the group resolve. CreateSession awaits `record()` before answering, so
 * credentials never leave before their issuance is durable.
 *
 * At most one group is in flight: while it commits and syncs, new records queue and form the next
 * group, so the busier the server, the larger the groups and the fewer transactions and fsyncs
 * per record. A batch the database refuses is retried record by record, so one bad record cannot
 * sink the others; a failed `durable()` rejects its whole group (no credentials leave).
 */
export class GroupCommitAuditSink implements AuditSink {
  /** Transactions committed and records written (tests, metrics, the benchmark). */
  readonly stats = { transactions: 0, records: 0 };
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private timer: { cancel: () => void } | undefined;
  private closed = false;
  private readonly maxBatch: number;
  private readonly windowMs: number;

  constructor(
    private readonly writer: AuditGroupWriter,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 256);
    this.windowMs = Math.max(0, opts.windowMs ?? 0);
  }

  /** Resolves after the event (and its companion writes) are committed and durable. */
  record(event: AuditEvent, writes?: AuditCompanionWrites): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit sink is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, attempt: writes?.subjectAttempt, resolve, reject });
      if (this.running) return; // the group in flight picks this up when it is done
      if (this.queue.length >= this.maxBatch) this.start();
      else this.timer ??= this.schedule();
    });
  }

  /** Records waiting for their group's commit (the "audit queue depth" metric). */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Commits what is queued now and waits until nothing is in flight. */
  async flush(): Promise<void> {
    for (;;) {
      if (!this.running && this.queue.length > 0) this.start();
      if (!this.running) return;
      await this.running;
    }
  }

  /** Flushes, refuses further records, and closes the writer (the JSON-lines file). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.writer.close?.();
  }

  private schedule(): { cancel: () => void } {
    if (this.windowMs > 0) {
      const t = setTimeout(() => this.start(), this.windowMs);
      return { cancel: () => clearTimeout(t) };
    }
    const i = setImmediate(() => this.start());
    return { cancel: () => clearImmediate(i) };
  }

  private start(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.running || this.queue.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      // A record that arrived after the loop's last look but before this line is not stranded.
      if (this.queue.length > 0) this.timer ??= this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commitGroup(this.queue.splice(0, this.maxBatch));
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    const committed: Array<{ p: Pending; record: AuditRecord }> = [];
    try {
      const records = await this.writer.commit(group.map((p) => p.event), attemptsOf(group));
      this.stats.transactions++;
      group.forEach((p, i) => committed.push({ p, record: records[i]! }));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(asError(err));
        return;
      }
      for (const p of group) {
        try {
          const [record] = await this.writer.commit([p.event], attemptsOf([p]));
          this.stats.transactions++;
          committed.push({ p, record: record! });
        } catch (one) {
          p.reject(asError(one));
        }
      }
    }
    if (committed.length === 0) return;
    this.stats.records += committed.length;
    try {
      await this.writer.durable?.(committed.map((c) => c.record));
    } catch (err) {
      for (const c of committed) c.p.reject(asError(err));
      return;
    }
    for (const c of committed) c.p.resolve();
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
