import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendStepSummary, escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { failingReport, passingReport, refinish } from '../fixtures/reports/build.js';

describe('renderMarkdown', () => {
  const md = renderMarkdown(failingReport());

  it('states the verdict, why the run could not certify, the rows to attest and the counts', () => {
    expect(md.split('\n')[0]).toBe('## ❌ fhir-certify: NOT CERTIFIED');
    expect(md).toContain(
      [
        '**NOT CERTIFIED:** 7 required checks failed or errored.\\',
        'this run could not certify in any case: --allow-insecure-http was set; only a subset was run (--only META,AUTH).\\',
        "2 checks need a reviewer's attestation: AUTH-09, AUTH-10.",
      ].join('\n'),
    );
    expect(md).toContain(
      '| pass | fail | warn | skip | error | manual | na |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| 10 | 6 | 2 | 1 | 1 | 2 | 1 |',
    );
    const passing = renderMarkdown(passingReport());
    expect(passing.split('\n')[0]).toBe('## ✅ fhir-certify: CERTIFIED');
    expect(passing).toContain(
      "**CERTIFIED:** all required checks passed.\\\n2 checks need a reviewer's attestation: AUTH-09, AUTH-10.",
    );
  });

  it('heads a passing run that cannot certify PASSED, NOT CERTIFIABLE with its reasons', () => {
    const partial = passingReport();
    partial.certifiable = false;
    partial.notCertifiableReasons = ['only part of the requirements was run (--only AUTH)'];
    const text = renderMarkdown(refinish(partial));
    expect(text.split('\n')[0]).toBe('## ⚠️ fhir-certify: PASSED, NOT CERTIFIABLE');
    expect(text).toContain(
      '**PASSED, NOT CERTIFIABLE:** only part of the requirements was run (--only AUTH).',
    );
    expect(text).not.toContain('NOT CERTIFIED');
  });

  it('lists each failed and errored row once, and no passing row', () => {
    const rows = md.split('\n').filter((l) => l.startsWith('| **'));
    expect(rows.map((l) => /^\| \*\*([A-Z0-9\\-]+)\*\*/.exec(l)![1]!.replace(/\\/g, ''))).toEqual([
      'AUTH-03',
      'ROUTE-02',
      'RES-PAT-1',
      'LAT-04',
      'META-08',
      'RES-VAL-1',
      'SRCH-PAT-1',
    ]);
  });

  it('escapes pipes, newlines and markup so one row stays one table row', () => {
    const line = md.split('\n').find((l) => l.includes('ROUTE-02'))!;
    expect(line).toContain(
      "tenant A \\| isolation broken second line &lt;script&gt;alert('msg')&lt;/script&gt; |",
    );
    // Five cells: six unescaped pipes.
    expect(line.replace(/\\\|/g, '').match(/\|/g)).toHaveLength(6);
    expect(md).not.toContain('<script>');
  });

  it('escapes link and image syntax', () => {
    expect(escapeMarkdown('![x](https://evil.example/p.png) [click](javascript:alert(1))')).toBe(
      '\\!\\[x\\](https://evil.example/p.png) \\[click\\](javascript:alert(1))',
    );
    expect(escapeMarkdown('a\r\nb\tc | `d`')).toBe('a b c \\| \\`d\\`');
  });

  it('shows the latency table with the over-budget p95 in bold', () => {
    expect(md).toContain(
      '| LAT-04 | search Observation?patient&amp;category=vital-signs | 20 | 814 ms | **1480 ms** | 1850 ms | 600 ms | fail |',
    );
  });
});

describe('appendStepSummary', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('appends to $GITHUB_STEP_SUMMARY and keeps what was there', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fhir-certify-md-'));
    const file = join(dir, 'step-summary.md');
    writeFileSync(file, '# earlier step\n');
    const md = renderMarkdown(failingReport());
    expect(await appendStepSummary(md, { GITHUB_STEP_SUMMARY: file })).toBe(file);
    expect(await appendStepSummary('second', { GITHUB_STEP_SUMMARY: file })).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(`# earlier step\n${md}second\n`);
  });

  it('does nothing when the variable is not set', async () => {
    expect(await appendStepSummary('x', {})).toBeNull();
  });
});
