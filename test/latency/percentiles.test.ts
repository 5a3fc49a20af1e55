import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedOverBudget, nearestRank, percentiles } from '../../src/latency/percentiles.js';

/** The definition itself: the smallest sample with at least p % of the samples at or below it. */
function byDefinition(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.find((v) => sorted.filter((w) => w <= v).length * 100 >= p * sorted.length)!;
}

describe('nearest-rank percentiles', () => {
  it('gives the textbook ranks on 1..100 and on 20 samples', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(hundred)).toEqual({ p50: 50, p90: 90, p95: 95, p99: 99, max: 100 });
    // 20 samples: p95 is the 19th value, so one slow sample in 20 is allowed and two are not.
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentiles(twenty)).toMatchObject({ p50: 10, p90: 18, p95: 19, p99: 20, max: 20 });
  });

  it('is always one of the samples, and is the max on small series', () => {
    expect(percentiles([7])).toEqual({ p50: 7, p90: 7, p95: 7, p99: 7, max: 7 });
    expect(percentiles([3, 1, 2])).toEqual({ p50: 2, p90: 3, p95: 3, p99: 3, max: 3 });
    expect(percentiles([])).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
    expect(Number.isNaN(nearestRank([], 50))).toBe(true);
  });

  it('agrees with the definition on any sample set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(50, 90, 95, 99),
        (ints, p) => {
          const values = ints.map((i) => i / 1000);
          const sorted = [...values].sort((a, b) => a - b);
          expect(nearestRank(sorted, p)).toBe(byDefinition(values, p));
        },
      ),
    );
  });

  it('allowedOverBudget is exactly how many samples p95 can hide', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (n) => {
        const k = allowedOverBudget(n);
        const within = (over: number) =>
          percentiles([...Array<number>(n - over).fill(1), ...Array<number>(over).fill(10)]).p95 <= 5;
        expect(within(k)).toBe(true);
        if (k + 1 <= n) expect(within(k + 1)).toBe(false);
      }),
    );
    expect(allowedOverBudget(20)).toBe(1);
    expect(allowedOverBudget(5)).toBe(0);
    expect(allowedOverBudget(100)).toBe(5);
  });
});
