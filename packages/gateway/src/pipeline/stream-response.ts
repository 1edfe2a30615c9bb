// Turns a committed stream attempt into the client's byte stream. Ends every stream cleanly: the format's
// terminator on success, one error event after a failure, and — always, even on client disconnect — the tail
// is closed, the executor hears the late outcome, and the request is settled exactly once.
import { buildErrorInfo, type ErrorInfo } from '@switchyard/core';
import type { CallMeta } from './call-meta.js';
import { statusForInfo } from './client-errors.js';
import type { PipelineResponse } from './pipeline-types.js';
import type { CallScope } from './request-flow.js';
import { AttemptError, type AttemptLog, type RouteExecutor } from './seams.js';

export interface StreamParts<T> {
  head: T[];
  tail: AsyncGenerator<T[], void>;
  meta: CallMeta;
}

export interface StreamFormat<T> {
  /** Items of one batch → text to write (may be empty). */
  encode(items: T[]): string;
  /** Written after a normal end (e.g. `data: [DONE]`, or nothing for Anthropic). */
  end(): string;
  /** One error event after commit. */
  error(info: ErrorInfo): string;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * The SSE response for a committed stream attempt; the request finishes when the stream ends. The first batch is
 * encoded now, so the writer can send it with the headers in one write (`takeHead`) without waiting a turn of the
 * stream for it.
 */
export function respondStream<T>(
  call: CallScope,
  parts: StreamParts<T>,
  attempts: AttemptLog[],
  executor: RouteExecutor,
  format: StreamFormat<T>,
): PipelineResponse {
  const first = encodeHead(parts, format);
  return {
    status: 200,
    headers: { ...call.headers(parts.meta, attempts), ...SSE_HEADERS },
    stream: streamToClient(parts, attempts, call, executor, format, first),
    takeHead: () => {
      if (first.text === undefined) return undefined;
      if (first.sent) return '';
      first.sent = true;
      return first.text;
    },
  };
}

/** The first batch, encoded (`text`), or why it could not be (`failed`); and whether it went out. */
interface Head {
  text?: string;
  failed?: unknown;
  sent: boolean;
}

/** Encodes the first batch and lets its items go; a failure is kept, for the stream to end with. */
function encodeHead<T>(parts: StreamParts<T>, format: StreamFormat<T>): Head {
  try {
    const text = format.encode(parts.head);
    parts.head.length = 0; // encoded: the items need not live as long as the stream (or whatever holds `parts`)
    return { text, sent: false };
  } catch (err) {
    return { failed: err, sent: false };
  }
}

export async function* streamToClient<T>(
  parts: StreamParts<T>,
  attempts: AttemptLog[],
  call: CallScope,
  executor: RouteExecutor,
  format: StreamFormat<T>,
  first?: Head,
): AsyncGenerator<string, void> {
  let error: ErrorInfo | undefined;
  const head = first ?? encodeHead(parts, format);
  try {
    if (head.text === undefined) throw head.failed;
    // Recorded here whoever sends it: a recorder that throws ends the stream with the error, as for any batch.
    if (head.text) call.recorder?.text(head.text);
    if (head.text && !head.sent) {
      head.sent = true;
      yield head.text;
    }
    for await (const batch of parts.tail) {
      const text = format.encode(batch);
      if (!text) continue;
      call.recorder?.text(text);
      yield text;
    }
    const end = format.end();
    if (end) yield end;
  } catch (err) {
    error = err instanceof AttemptError ? err.info : buildErrorInfo('unknown', 'stream failed');
    if (error.errorClass !== 'cancelled') yield format.error(error);
  } finally {
    // `cancel` when the gateway built the request: reading `signal` would create an AbortController per stream
    if ((call.req.cancel ?? call.req.signal).aborted && !error)
      error = buildErrorInfo('cancelled', 'client disconnected');
    await parts.tail.return(undefined).catch(() => {});
    const { meta } = parts;
    executor.report(meta.target.id, {
      ok: !error || error.errorClass === 'cancelled',
      latencyMs: meta.endMs ?? 0,
      ...(error && { error }),
    });
    call.finish(error ? statusForInfo(error, 'openai') : 200, meta, attempts, error);
  }
}
