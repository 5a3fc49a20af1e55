/**
 * Exact percentiles over the samples a run took, by the nearest-rank method: the p-th percentile of n
 * sorted values is the value at rank ceil(p/100 × n) (1-based). It is always one of the measured
 * values (no interpolation), so "p95 ≤ budget" means at least 95 % of the samples were within the
 * budget, which is what a budget promises. Sorting is simpler than a histogram and has no bucket
 * error; even the load mode's few hundred thousand samples sort in milliseconds as a Float64Array.
 */

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile of values sorted ascending; NaN when there are none. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p > 0)) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  // The epsilon keeps 95 % of 20 at rank 19 despite floating point (0.95 × 20 = 19.000000000000004).
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Ascending; a typed array sorts by numeric value natively. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** p50/p90/p95/p99/max of the values (any order), rounded to the microsecond; zeros when empty. */
export function percentiles(values: ArrayLike<number>): Percentiles {
  if (values.length === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  const sorted = sortedCopy(values);
  return {
    p50: round(nearestRank(sorted, 50)),
    p90: round(nearestRank(sorted, 90)),
    p95: round(nearestRank(sorted, 95)),
    p99: round(nearestRank(sorted, 99)),
    max: round(sorted[sorted.length - 1]!),
  };
}

/**
 * How many of `planned` samples may exceed the budget while p95 still meets it: with nearest rank,
 * p95 ≤ budget exactly when at most n − ceil(0.95 n) samples are over. One more over-budget sample
 * settles the verdict, so the sampler can stop early on a slow partner instead of waiting out every
 * slow request.
 */
export function allowedOverBudget(planned: number, p = 95): number {
  if (planned <= 0) return 0;
  return planned - Math.ceil((p / 100) * planned - 1e-9);
}

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;
