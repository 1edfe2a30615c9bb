import { describe, expect, it } from 'vitest';
import { judgeMessages, parseVerdict } from './judge.js';

describe('judge verdict parsing', () => {
  it('reads bare, fenced and embedded JSON', () => {
    expect(parseVerdict('{"score": 8, "reason": "Correct."}')).toEqual({ score: 8, reason: 'Correct.' });
    expect(parseVerdict('```json\n{"score":"7","reason":"ok"}\n```')).toEqual({ score: 7, reason: 'ok' });
    expect(parseVerdict('Here is my verdict: {"rating": 3, "explanation": "wrong city"} Thanks')).toEqual({
      score: 3,
      reason: 'wrong city',
    });
  });

  it('reads prose such as "Score: 6/10" and "9 out of 10"', () => {
    expect(parseVerdict('Score: 6/10. Misses the currency.').score).toBe(6);
    expect(parseVerdict('I would give this 9 out of 10 because it is complete.').score).toBe(9);
    expect(parseVerdict('**Rating**: 4').score).toBe(4);
  });

  it('rejects out-of-range or missing scores with a reason that says so', () => {
    expect(parseVerdict('{"score": 42, "reason": "x"}').score).toBeUndefined();
    expect(parseVerdict('{"score": 0}').score).toBeUndefined();
    const v = parseVerdict('lorem ipsum');
    expect(v.score).toBeUndefined();
    expect(v.reason).toMatch(/^unreadable verdict: lorem ipsum/);
    expect(parseVerdict('').reason).toBe('unreadable verdict: (empty)');
  });

  it('rounds a fractional score and keeps the reason short', () => {
    const v = parseVerdict(`{"score": 7.6, "reason": "${'x'.repeat(1000)}"}`);
    expect(v.score).toBe(8);
    expect(v.reason.length).toBeLessThanOrEqual(301);
  });

  it('builds a rubric prompt with the task, the reference and the answer', () => {
    const msgs = judgeMessages(
      {
        id: 'a',
        messages: [{ role: 'user', content: 'Capital of France?' }],
        expected: 'Paris',
        assert: [],
        params: {},
      },
      'Lyon',
    );
    const user = msgs[1]?.content ?? '';
    expect(user).toContain('Capital of France?');
    expect(user).toContain('Reference answer:\n<<<\nParis');
    expect(user).toContain('Assistant answer:\n<<<\nLyon');
    expect(user).toContain('1 to 10');
  });
});
