import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeDigest } from '../../src/report/digest.js';
import { writeReportFiles } from '../../src/report/write.js';
import { failingReport } from '../fixtures/reports/build.js';

const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReportFiles', () => {
  it('creates the directory and writes every format', async () => {
    const out = join(dir, 'nested', '20250314T092653Z-fhir.partner.example-1.0.2');
    const paths = await writeReportFiles(failingReport(), out, ['md', 'junit', 'html', 'json'], {});
    expect(paths).toEqual(['report.json', 'report.html', 'junit.xml', 'summary.md'].map((f) => join(out, f)));
    const json = readFileSync(join(out, 'report.json'), 'utf8');
    expect(json).toBe(`${JSON.stringify(failingReport(), null, 2)}\n`);
    expect(json.split('\n')[1]).toBe('  "schemaVersion": 1,');
    const parsed = JSON.parse(json) as ReturnType<typeof failingReport>;
    expect(computeDigest(parsed)).toBe(parsed.digest);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('NOT CERTIFIED');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /,
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/^## ❌ fhir-certify: NOT CERTIFIED/);
  });

  it('writes only the formats asked for, and appends the step summary when it is set', async () => {
    const out = join(dir, 'subset');
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'before\n');
    const paths = await writeReportFiles(failingReport(), out, ['junit'], { GITHUB_STEP_SUMMARY: summary });
    expect(paths).toEqual([join(out, 'junit.xml')]);
    expect(readFileSync(summary, 'utf8')).toMatch(/^before\n## ❌ fhir-certify: NOT CERTIFIED/);
  });
});
