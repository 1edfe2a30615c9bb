import type { CallTracker } from './call-tracker.js';
import { observeAnthropicEvent } from './observe-responses.js';

type Emit = (event: string, ...args: unknown[]) => unknown;

/**
 * Anthropic `messages.stream()` returns a MessageStream whose own request bypasses our create(). We watch its
 * internal `_emit` on this one instance instead of adding listeners: an added 'error' listener would change
 * how the SDK reports unhandled errors.
 */
export function wrapAnthropicMessageStream(ms: unknown, t: CallTracker): void {
  const s = ms as { _emit?: Emit; request_id?: string | null; controller?: AbortController };
  const emit = s._emit;
  if (typeof emit !== 'function') return;
  let failed = false;
  s._emit = function (this: unknown, event: string, ...args: unknown[]) {
    try {
      if (event === 'streamEvent') observeAnthropicEvent(args[0], t);
      else if (event === 'connect') t.requestId = s.request_id ?? undefined;
      else if (event === 'error' || event === 'abort') {
        failed = true;
        t.fail(args[0]);
      } else if (event === 'end' && !failed) {
        if (s.controller?.signal.aborted) t.abandon();
        else t.ok();
      }
    } catch {}
    return emit.call(this, event, ...args);
  };
}
