import { describe, expect, it } from 'vitest';
import { percentiles } from '../../src/latency/percentiles.js';
import { Timings } from '../../src/latency/timings.js';

describe('Timings', () => {
  it('keeps every sample through its growth, in order, with absent times left out', () => {
    const t = new Timings();
    for (let i = 0; i < 1000; i++) {
      t.add({
        totalMs: i,
        status: 200,
        ...(i % 2 ? { headersMs: i / 2 } : {}),
        ...(i % 3 ? {} : { serverMs: 1 }),
      });
    }
    expect(t.length).toBe(1000);
    expect([...t.totals()]).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(t.headersMs()).toHaveLength(500);
    expect(t.serverMs()).toHaveLength(334);
    expect(t.at(3)).toEqual({ totalMs: 3, status: 200, headersMs: 1.5, serverMs: 1 });
    expect(t.at(4)).toEqual({ totalMs: 4, status: 200 });
    expect(t.at(1000)).toBeUndefined();
    expect(percentiles(t.totals())).toMatchObject({ p50: 499, p95: 949, max: 999 });
  });

  it('concatenates series for LAT-06, keeping each one whole', () => {
    const a = new Timings();
    const b = new Timings();
    for (let i = 0; i < 70; i++) a.add({ totalMs: i, status: 200 });
    for (let i = 0; i < 5; i++) b.add({ totalMs: 100 + i, status: 503, headersMs: 1 });
    const both = Timings.concat([a, b, new Timings()]);
    expect(both.length).toBe(75);
    expect(both.at(69)).toEqual({ totalMs: 69, status: 200 });
    expect(both.at(70)).toEqual({ totalMs: 100, status: 503, headersMs: 1 });
    expect([...both].map((s) => s.totalMs)).toEqual([...a.totals(), ...b.totals()]);
  });
});
