import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeDigest } from '../../src/report/digest.js';
import { writeReportFiles, writeWhole } from '../../src/report/write.js';
import { failingReport } from '../fixtures/reports/build.js';

const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReportFiles', () => {
  it('creates the directory and writes every format', async () => {
    const out = join(dir, 'nested', '20250314T092653Z-fhir.partner.example-1.0.2');
    const { written: paths, failed } = await writeReportFiles(
      failingReport(),
      out,
      ['md', 'junit', 'html', 'json'],
      {},
    );
    expect(failed).toEqual([]);
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
    const { written: paths } = await writeReportFiles(failingReport(), out, ['junit'], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(paths).toEqual([join(out, 'junit.xml')]);
    expect(readFileSync(summary, 'utf8')).toMatch(/^before\n## ❌ fhir-certify: NOT CERTIFIED/);
  });

  it('leaves no temporary file behind, and a file that cannot be written does not stop the others', async () => {
    const out = join(dir, 'blocked');
    // A directory where report.html should go: that one file cannot be written.
    mkdirSync(join(out, 'report.html'), { recursive: true });
    const { written, failed } = await writeReportFiles(failingReport(), out, ['json', 'html', 'md'], {});
    expect(written).toEqual([join(out, 'report.json'), join(out, 'summary.md')]);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.path).toBe(join(out, 'report.html'));
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('masks every rendered text last, after the renderers', async () => {
    const out = join(dir, 'masked');
    await writeReportFiles(failingReport(), out, ['html', 'md'], {}, (text) =>
      text.replaceAll('NOT CERTIFIED', 'MASKED'),
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('NOT CERTIFIED');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('MASKED');
  });
});

describe('writeWhole', () => {
  it('never shows a reader a partial file: the old content stays until the new one is complete', async () => {
    const path = join(dir, 'whole.json');
    writeFileSync(path, 'old');
    const big = 'x'.repeat(8 * 1024 * 1024);
    const writing = writeWhole(path, big);
    // While the temporary file is written the final name still holds the old, whole content.
    expect(readFileSync(path, 'utf8')).toBe('old');
    await writing;
    expect(readFileSync(path, 'utf8').length).toBe(big.length);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes its temporary file when the write fails', async () => {
    // The temporary file is written, then the rename fails: a non-empty directory holds the name.
    const inside = join(dir, 'rename-fails');
    mkdirSync(join(inside, 'x.json', 'occupied'), { recursive: true });
    await expect(writeWhole(join(inside, 'x.json'), 'x')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(inside)).toEqual(['x.json']);
  });
});
