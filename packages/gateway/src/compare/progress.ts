// Progress of a compare run on stderr: a redrawn bar on a TTY, one plain line per finished call otherwise (CI logs).
import { nanosToUsdString } from '@switchyard/core';
import type { Progress } from './run-compare.js';

export interface ProgressSink {
  update(p: Progress): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = stream.isTTY === true;
  let drawn = false;
  return {
    update(p) {
      const spent = `$${nanosToUsdString(p.spentNanos, 6)}`;
      if (tty) {
        const width = 30;
        const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${spent}  `);
        drawn = true;
        return;
      }
      const last = p.last;
      const what = last
        ? ` ${last.model} ${last.promptId} ${last.ok ? 'ok' : 'error'} ${Math.round(last.latencyMs)} ms`
        : '';
      stream.write(`[${p.done}/${p.total}]${what} (spent ${spent})\n`);
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
