// Writes a PipelineResponse to a Node response: JSON in one write; streams chunk by chunk, waiting for `drain`
// when the socket buffer is full, and stopping (closing the source) as soon as the client has gone.
import type { ServerResponse } from 'node:http';
import type { PipelineResponse } from '../pipeline/pipeline-types.js';

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** `text`: `body` already as JSON text (a spliced upstream answer), sent as is. */
const WAITING = Symbol('waiting');
const nextMacrotask = () => new Promise<typeof WAITING>((resolve) => setImmediate(resolve, WAITING));

export function sendJson(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
  text = JSON.stringify(body),
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

type JsonResponse = Extract<PipelineResponse, { json: unknown }>;

/** A JSON PipelineResponse, synchronously: one write, then `sent` (no promise or microtask turn for it). */
export function sendJsonResponse(res: ServerResponse, out: JsonResponse): void {
  sendJson(res, out.status, out.headers, out.json, out.text);
  out.sent?.(); // settle now that the bytes are on their way
}

export async function sendPipelineResponse(res: ServerResponse, out: PipelineResponse): Promise<void> {
  if ('json' in out) {
    sendJsonResponse(res, out);
    return;
  }
  res.writeHead(out.status, out.headers);
  const head = out.takeHead?.();
  const it = out.stream[Symbol.asyncIterator]();
  let finished = false;
  try {
    // A primed stream has its first bytes ready at once: the headers then leave with them, in one write (as a
    // pass-through proxy sends them). A stream still waiting sends its headers now, so the client sees the status.
    if (head !== undefined) {
      if (head === '') res.flushHeaders();
      else if (!res.destroyed && !res.write(head)) await drainOrClose(res);
    }
    // Always pull once, even if the client is already gone: a generator that never started would skip its
    // `finally` on return(), and that is where the stream settles and closes its upstream.
    let pending = it.next();
    if (head === undefined && (await Promise.race([pending, nextMacrotask()])) === WAITING) res.flushHeaders();
    while (true) {
      const next = await pending;
      if (next.done) {
        finished = true;
        break;
      }
      if (res.destroyed) break;
      if (!res.write(next.value)) await drainOrClose(res);
      pending = it.next();
    }
  } finally {
    if (!finished) await it.return?.();
    if (!res.destroyed) res.end();
  }
}
