/**
 * Tolerance test of the measurement, not a speed test: against a partner that answers exactly D ms
 * after each request arrives, LAT-01's p50 lies within [D, D + 2 ms] (the harness adds the loopback
 * round trip and its own handling, and takes nothing away), and the verdict flips around D: a budget
 * just below D fails, one just above passes. Every run's p50 must be at least D; the upper bound holds
 * for the best of three runs, because load from other processes (or other test files on a two-core CI
 * machine) can only add time, while what is tested is the time the harness itself adds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runTestChecks } from '../helpers/engine.js';
import { conformantCapability } from '../helpers/capability.js';
import { metadataChecks } from '../../suites/metadata.js';
import { latencyChecks } from '../../suites/latency.js';
import { startDelayedPartner, type DelayedPartner } from './delayed-partner.js';

const checks = [
  metadataChecks.find((c) => c.id === 'meta-01-metadata')!,
  latencyChecks.find((c) => c.id === 'lat-01-metadata')!,
];

const partners: DelayedPartner[] = [];
afterAll(async () => {
  await Promise.all(partners.map((p) => p.close()));
});

async function lat01(baseUrl: string, samples: number, budget: number) {
  const run = await runTestChecks(checks, { baseUrl, samples, budgets: { 'metadata.p95': budget } });
  const row = run.latency.find((l) => l.requirement === 'LAT-01');
  expect(row, JSON.stringify(run.rows.map((r) => r.message))).toBeDefined();
  return { row: row!, check: run.rows.find((r) => r.id === 'lat-01-metadata')! };
}

describe.each([
  { D: 5, samples: 40 },
  { D: 50, samples: 30 },
  { D: 200, samples: 20 },
])('against a partner that answers after exactly $D ms', ({ D, samples }) => {
  it('measures p50 within [D, D + 2 ms] and flips the verdict around D', async () => {
    const partner = await startDelayedPartner(D, conformantCapability('stu3'));
    partners.push(partner);
    const above = D + 8;
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await lat01(partner.baseUrl, samples, above));
    const p50s = runs.map((r) => r.row.p50);
    for (const p50 of p50s) expect(p50).toBeGreaterThanOrEqual(D);
    expect(Math.min(...p50s), `p50 of each run: ${p50s.join(', ')} ms`).toBeLessThanOrEqual(D + 2);
    // Time to first byte is measured apart and never exceeds the total.
    for (const { row } of runs) {
      if (row.status === 'pass') expect(row.samples).toBe(samples);
      expect(row.ttfbP50 as number).toBeGreaterThanOrEqual(D);
      expect(row.ttfbP50 as number).toBeLessThanOrEqual(row.p50);
      expect(row.serverP50 as number).toBeGreaterThanOrEqual(D);
    }
    // Just above D passes in the best run. A p95 budget 8 ms above D is a tail measure: on a two-core
    // CI machine running other test files, one late timer in a run of 20 samples is enough to push a
    // run's p95 over it. Load only adds time, so the best run is what shows the harness's own share.
    expect(
      runs.filter((r) => r.check.status === 'pass' && r.row.status === 'pass').length,
      `p95 of each run: ${runs.map((r) => r.row.p95).join(', ')} ms against ${above} ms`,
    ).toBeGreaterThanOrEqual(1);
    expect(runs[0]!.row.budgetP95).toBe(above);
    // …and just below D always fails: no answer can come sooner than D.
    const below = await lat01(partner.baseUrl, samples, D - 0.5);
    expect(below.check.status).toBe('fail');
    expect(below.row.status).toBe('fail');
    expect(below.check.message).toMatch(/over the .* budget \(run option\)/);
  }, 60_000);
});
