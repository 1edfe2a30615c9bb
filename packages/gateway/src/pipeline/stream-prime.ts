// A stream attempt commits only once it has produced its first batch: until then an error (in-stream error event,
// reset, empty body) can still fall back to another target.
import { AttemptError } from './seams.js';

export interface PrimedStream<T> {
  head: T[];
  tail: AsyncGenerator<T[], void>;
}

export async function primeStream<T>(gen: AsyncGenerator<T[], void>, providerId: string): Promise<PrimedStream<T>> {
  const first = await gen.next();
  if (first.done) {
    throw new AttemptError({
      errorClass: 'stream_interrupted',
      retryable: true,
      fallbackEligible: true,
      message: `${providerId}: upstream stream ended before any content`,
    });
  }
  return { head: first.value, tail: gen };
}
