/**
 * Every report row points to its requirement's entry in docs/requirements.md, the catalogue that
 * ships with the package: HTML for every row, Markdown for the rows it lists, JUnit for every row
 * that has a body (failures, errors, skips, warnings) and once for the whole file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { requirementRef } from '../../src/report/requirement-ref.js';
import { failingReport } from '../fixtures/reports/build.js';

const report = failingReport();
const catalogue = readFileSync(join(import.meta.dirname, '../../docs/requirements.md'), 'utf8');

describe('report rows point to the requirement catalogue', () => {
  it('names an anchor that docs/requirements.md holds', () => {
    expect(requirementRef('AUTH-03')).toBe('docs/requirements.md#auth-03');
    for (const row of report.checks)
      expect(catalogue, row.requirement).toContain(
        `<a id="${requirementRef(row.requirement).split('#')[1]}" `,
      );
  });

  it('HTML: each row of the checks table carries its pointer', () => {
    const html = renderHtml(report);
    const rows = html.match(/<tr id="[^"]+" class="row-[a-z]+"><th scope="row">.*?<\/th>/g) ?? [];
    expect(rows.length).toBe(report.checks.length);
    for (const row of rows) {
      const id = /<span class="req">([^<]+)<\/span>/.exec(row)![1]!;
      expect(row).toContain(`<span class="ref">${requirementRef(id)}</span>`);
    }
  });

  it('Markdown: each listed row carries its pointer', () => {
    const lines = renderMarkdown(report)
      .split('\n')
      .filter((l) => l.startsWith('| **'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const id = /^\| \*\*([A-Z0-9\\-]+)\*\*/.exec(line)![1]!.replace(/\\/g, '');
      expect(line.replace(/\\/g, '')).toContain(`(${requirementRef(id)})`);
    }
  });

  it('JUnit: every failure, error, skip and warning body names it, and the file says where IDs are explained', () => {
    const xml = renderJunit(report);
    const bodies =
      xml.match(/<testcase [^>]*name="([A-Z]+-[A-Z0-9-]+) [^"]*"[^/]*?>[\s\S]*?<\/testcase>/g) ?? [];
    expect(bodies.length).toBe(report.checks.filter((r) => r.status !== 'pass').length);
    for (const body of bodies) {
      const id = /name="([A-Z]+-[A-Z0-9]+(?:-[A-Z0-9]+)?) /.exec(body)![1]!;
      expect(body).toContain(requirementRef(id));
    }
    expect(xml).toContain(
      '<property name="requirements" value="each ID is explained in fhir-certify&apos;s docs/requirements.md#&lt;id in lower case&gt;"/>',
    );
  });
});
