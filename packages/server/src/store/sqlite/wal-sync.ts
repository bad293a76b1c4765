import { closeSync, fdatasync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { fsyncDirectory } from './audit-jsonl-file.js';

const fdatasyncAsync = promisify(fdatasync);
const INODE_CHECK_MS = 1000;

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
 * The -wal file lives as long as a connection is open (ours is): SQLite deletes it only when the
 * last connection closes (sqlite.org/wal.html). Should it ever be replaced anyway we notice by its
 * inode and reopen; that check is a stat(2) per second, not per group (a system call costs
 * tens of microseconds on a small VM, and a group commit runs hundreds of times a second).
 */
export class WalFileSync {
  private fd: number | undefined;
  private ino: number | undefined;
  private checkedAt = 0;
  private readonly path: string;

  /** `inodeCheckMs`: how often the -wal file's inode is compared with ours (0: every sync). */
  constructor(
    databaseFile: string,
    private readonly inodeCheckMs = INODE_CHECK_MS,
  ) {
    this.path = `${databaseFile}-wal`;
  }

  /** Resolves once everything committed to the WAL before the call is on disk. */
  async sync(): Promise<void> {
    const now = Date.now();
    if (this.fd === undefined || now - this.checkedAt >= this.inodeCheckMs) {
      const ino = statSync(this.path).ino;
      this.checkedAt = now;
      if (this.fd === undefined || ino !== this.ino) {
        this.close();
        this.fd = openSync(this.path, 'r');
        this.ino = ino;
        // The -wal file's own directory entry, once per file (SQLite does not sync it in NORMAL).
        fsyncDirectory(dirname(this.path));
      }
    }
    await fdatasyncAsync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
