import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverTiming } from '../../src/http/answer.js';

/** What the regular expression alone reads: the shortcut for `app;dur=N` must never differ from it. */
function byExpression(header: string): number | undefined {
  const match = /(?:^|,)\s*app;[^,]*dur=([\d.]+)/.exec(header);
  return match ? Number(match[1]) : undefined;
}

describe('serverTiming', () => {
  it('reads the app metric, alone or among others, and nothing else', () => {
    expect(serverTiming('app;dur=0.291')).toBe(0.291);
    expect(serverTiming('db;dur=3, app;desc="x";dur=1.5')).toBe(1.5);
    expect(serverTiming('app;dur=-1')).toBeUndefined();
    expect(serverTiming('app;dur=')).toBeUndefined();
    expect(serverTiming('app;dur=1e3')).toBe(1);
    expect(serverTiming('miss, db;dur=2')).toBeUndefined();
    expect(serverTiming(undefined)).toBeUndefined();
  });

  it('agrees with the regular expression on any header', () => {
    const tail = fc.stringMatching(/^[0-9.e ,;a-z=-]{0,12}$/);
    fc.assert(
      fc.property(tail, (rest) => {
        for (const header of [`app;dur=${rest}`, rest, `db;dur=1, app;dur=${rest}`]) {
          expect(Object.is(serverTiming(header), byExpression(header))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
