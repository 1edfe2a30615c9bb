// textBytesOfEvent runs a shared global regex: every call starts from the beginning of its event, whatever the
// previous call left, and counts every text field of the event.
import { describe, expect, it } from 'vitest';
import { textBytesOfEvent } from './delivered.js';

describe('textBytesOfEvent', () => {
  const event = '{"choices":[{"delta":{"content":"héllo","reasoning_content":"ab"},"finish_reason":null}]}';

  it('counts the UTF-8 bytes of every text field', () => {
    expect(textBytesOfEvent(event)).toBe(6 + 2);
  });

  it('gives the same count on every call, also after a call on another event', () => {
    expect(textBytesOfEvent(event)).toBe(8);
    expect(textBytesOfEvent('{"delta":"xyz"}')).toBe(3);
    expect(textBytesOfEvent(event)).toBe(8);
    expect(textBytesOfEvent('{"id":"x"}')).toBe(0);
    expect(textBytesOfEvent(event)).toBe(8);
  });
});
