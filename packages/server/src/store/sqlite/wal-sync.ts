import { closeSync, fdatasync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { fsyncDirectory } from './audit-jsonl-file.js';

const fdatasyncAsync = promisify(fdatasync);

/**
 * fsyncs the database's write-ahead log OFF the event loop, so the audit group commit can commit
 * with `synchronous = NORMAL` (no fsync inside SQLite, which would block every request for the
 * length of a disk flush) and still answer only after its frames are on disk.
 *
 * Why that is as durable as `synchronous = FULL`: in WAL mode a transaction is committed once its
 * commit frame is in the -wal file, and FULL differs from NORMAL only by an fsync of that file after
 * each commit (sqlite.org/pragma.html#pragma_synchronous, sqlite.org/wal.html). fsync(2) flushes
 * the file's inode whatever descriptor it is called on, so an fdatasync of our own descriptor after
 * the commit returned makes every frame written so far durable; recovery replays the valid prefix.
 * The -wal file lives as long as a connection is open (ours is), but if it was ever replaced we
 * notice by its inode and reopen.
 */
export class WalFileSync {
  private fd: number | undefined;
  private ino: number | undefined;
  private readonly path: string;

  constructor(databaseFile: string) {
    this.path = `${databaseFile}-wal`;
  }

  /** Resolves once everything committed to the WAL before the call is on disk. */
  async sync(): Promise<void> {
    const ino = statSync(this.path).ino;
    if (this.fd === undefined || ino !== this.ino) {
      this.close();
      this.fd = openSync(this.path, 'r');
      this.ino = ino;
      // The -wal file's own directory entry, once per file (SQLite does not sync it in NORMAL).
      fsyncDirectory(dirname(this.path));
    }
    await fdatasyncAsync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
