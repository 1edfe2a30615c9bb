// WAL checkpoints off the request thread. SQLite's automatic checkpoint runs inside the commit that takes the WAL
// past 1,000 pages, on the thread that commits — for the ledger's group commit, the gateway's main thread. Measured
// on the ledger schema (3,000 batches of 60 rows): with it ~3 % of batches took 5–20 ms instead of ~0.6 ms (p99
// 12.3 ms, max 19.9 ms), and every request in flight waited; without it p99 1.0 ms. So a worker thread with its
// own connection runs PASSIVE checkpoints on a timer (a passive checkpoint never blocks the writer, which keeps
// appending meanwhile), and the main connection's automatic checkpoint is off while the worker lives. Commits, and
// so durability, are unchanged: a checkpoint only copies committed WAL pages into the database file.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS run with `eval`: nothing to compile, so the same code runs from the built dist and from source.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage(String((err && err.message) || err));
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');
/** How long `stop` waits for the worker's last checkpoint to finish before terminating it. */
const STOP_WAIT_MS = 5_000;

export interface CheckpointerEvents {
  /** A checkpoint failed (the worker keeps going; the next tick tries again). */
  onError(message: string): void;
  /** The worker is gone without `stop`: the caller takes checkpoints back. */
  onLost(why: string): void;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private stopping = false;
  private lost = false;

  constructor(file: string, events: CheckpointerEvents, everyMs = 500) {
    this.worker = new Worker(WORKER_CODE, { eval: true, workerData: { file, driver: DRIVER, everyMs } });
    this.worker.unref(); // never what keeps a process alive
    this.worker.on('message', (message: string) => events.onError(message));
    const gone = (why: string) => {
      if (this.stopping || this.lost) return;
      this.lost = true;
      events.onLost(why);
    };
    this.worker.on('error', (err) => gone(err.message));
    this.worker.on('exit', (code) => gone(`exited with code ${code}`));
  }

  /** Ends the worker after its current checkpoint (terminated if it takes longer than a few seconds). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.lost) return;
    const exited = once(this.worker, 'exit');
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_WAIT_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') await this.worker.terminate();
    clearTimeout(timer);
  }

  /** For tests: end the worker as a crash would. */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}
