import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDigest } from '../../src/report/digest.js';
import { expectContract } from '../helpers/contract.js';
import { fixtureFiles, fixtureText } from '../fixtures/reports/build.js';

const dir = join(import.meta.dirname, '../fixtures/reports');

describe('fixture reports', () => {
  for (const [name, build] of Object.entries(fixtureFiles)) {
    it(`${name} matches its builder (regenerate with node --import tsx test/fixtures/reports/build.ts)`, () => {
      expect(readFileSync(join(dir, name), 'utf8')).toBe(fixtureText(build()));
    });

    it(`${name} carries a digest of its own content and a summary of its rows`, () => {
      const report = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ReturnType<typeof build>;
      expect(report.digest).toBe(computeDigest(report));
      const counted = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, manual: 0, na: 0 };
      for (const row of report.checks) counted[row.status] += 1;
      expect(report.summary).toEqual(counted);
    });
  }

  it('every fixture follows the report.json contract (schema, digest, verdict rule)', () => {
    for (const build of Object.values(fixtureFiles)) expectContract(build());
  });

  it('the failing fixture holds every status a renderer must show', () => {
    const report = fixtureFiles['fail-dstu2.json']();
    expect(new Set(report.checks.map((r) => r.status))).toEqual(
      new Set(['pass', 'fail', 'warn', 'skip', 'error', 'manual', 'na']),
    );
    expect(report.verdict).toBe('fail');
    expect(report.certifiable).toBe(false);
  });
});
