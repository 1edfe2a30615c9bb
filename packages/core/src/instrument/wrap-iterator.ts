import type { CallTracker } from './call-tracker.js';

/**
 * Yields every chunk of `inner` unchanged and as soon as it arrives; the record completes exactly once on
 * end, error, break/return() or abort. `observe` returns true for a chunk the caller must not see.
 */
export async function* wrapIterator<T>(
  inner: AsyncIterable<T>,
  t: CallTracker,
  observe: (chunk: T) => boolean,
  aborted: () => boolean = () => false,
): AsyncGenerator<T, void, undefined> {
  let ended = false;
  try {
    for await (const chunk of inner) {
      let hide = false;
      try {
        hide = observe(chunk);
      } catch {
        // a chunk we cannot read is still the caller's chunk
      }
      if (!hide) yield chunk;
    }
    ended = true;
  } catch (err) {
    t.fail(err);
    throw err;
  } finally {
    // The SDKs end a stream quietly when its controller is aborted: that is a cancel, not a success.
    if (ended && !aborted()) t.ok();
    else t.abandon();
  }
}
