import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'test-results-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/core/model.js';
import { stripInvalidXmlChars, xmlAttr } from '../../src/report/xml.js';
import { failingReport, passingReport, refinish } from '../fixtures/reports/build.js';
import { describeWithTool, xmllintPath } from './tools.js';

const XSD = join(import.meta.dirname, '../fixtures/junit/jenkins-junit.xsd');
const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The failing fixture with partner text that XML must survive: markup, quotes, CDATA ends, controls. */
function hostileReport(): Report {
  const report = failingReport();
  const fail = report.checks.find((r) => r.status === 'fail')!;
  fail.message = 'bad\u0001 \u0000char\uFFFE "quoted" & \'single\' <tag> ]]> --> \ud800lone\nsecond\tline';
  fail.subject = '<script>alert(1)</script>';
  report.checks.find((r) => r.status === 'error')!.message = 'timeout <after> 10000 ms & \u001b[31mred';
  report.checks.find((r) => r.status === 'manual')!.message = 'wait & see </skipped>';
  return refinish(report);
}

function write(name: string, xml: string): string {
  const path = join(dir, name);
  writeFileSync(path, xml);
  return path;
}

describe('renderJunit', () => {
  it('strips characters XML 1.0 forbids and escapes the rest', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0001c\u0008d\u000be\u001ff\uFFFEg\uFFFFh\ud800i\tj\nk\rl😀')).toBe(
      'abcdefghi\tj\nk\rl😀',
    );
    expect(xmlAttr('<a href="x">\'&\'\n</a>')).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&#10;&lt;/a&gt;',
    );
  });

  it('maps statuses to failure, error, skipped and system-out', () => {
    const xml = renderJunit(failingReport());
    expect(xml).toMatch(
      /<testcase classname="AUTH" name="AUTH-03 a wrong client_secret is refused with invalid_client" time="0.035">\n +<failure message="a wrong client_secret got 200 and a token; refuse it with 400\/401 invalid_client" type="required">/,
    );
    expect(xml).toMatch(
      /<testcase classname="SRCH" name="SRCH-PAT-1 [^"]+" time="[\d.]+">\n +<error message="timeout after 10000 ms" type="error">/,
    );
    expect(xml).toMatch(
      /<testcase classname="BATCH" name="BATCH-1 [^"]+" time="[\d.]+">\n +<skipped>skipped: skipped: prerequisite META-08/,
    );
    expect(xml).toMatch(
      /<testcase classname="AUTH" name="AUTH-09 an expired token gets 401" time="[\d.]+">\n +<skipped>manual attestation required: wait out/,
    );
    expect(xml).toMatch(
      /<testcase classname="RES" name="RES-COV-1 [^"]+" time="[\d.]+">\n +<skipped>not applicable: /,
    );
    expect(xml).toMatch(
      /<testcase classname="SEC" name="SEC-03 [^"]+" time="[\d.]+">\n +<system-out>WARNING \(recommended\): a 500 answer/,
    );
    expect(xml).toContain(
      'name="RES-VAL-1 every returned resource is structurally valid for the version [Observation/obs-7]"',
    );
    expect(xml).toContain(
      '<testsuites name="fhir-certify patients-app-dstu2 http://127.0.0.1:8080/fhir" tests="23" failures="6" errors="1" time="0.805">',
    );
    expect(xml).toContain(
      '<testsuite name="RES" package="fhir-certify" id="4" tests="4" failures="2" errors="0" skipped="1"',
    );
  });

  it('is read by test-results-parser (the parser TestBeats uses) with the report’s counts', () => {
    for (const report of [failingReport(), passingReport(), hostileReport()]) {
      const result = parse({ type: 'junit', files: [write('parsed.xml', renderJunit(report))] });
      const s = report.summary;
      const sum = (key: 'total' | 'failed' | 'errors' | 'skipped' | 'passed'): number =>
        result.suites.reduce((n, suite) => n + Number(suite[key]), 0);
      expect(result.suites).toHaveLength(new Set(report.checks.map((r) => r.requirement.split('-')[0])).size);
      // Suite totals: the parser counts skipped tests outside `total`.
      expect(sum('total') + sum('skipped')).toBe(report.checks.length);
      expect(sum('failed')).toBe(s.fail);
      expect(sum('errors')).toBe(s.error);
      expect(sum('skipped')).toBe(s.skip + s.na + s.manual);
      expect(sum('passed')).toBe(s.pass + s.warn);
      // The root (no `skipped` there: the Jenkins schema has none) and every case.
      expect(Number(result.failed)).toBe(s.fail);
      expect(Number(result.errors)).toBe(s.error);
      const cases = result.suites.flatMap((suite) => suite.cases);
      expect(cases).toHaveLength(report.checks.length);
      const byStatus = (status: string): number => cases.filter((c) => c.status === status).length;
      expect(byStatus('FAIL')).toBe(s.fail + s.error);
      expect(byStatus('SKIP')).toBe(s.skip + s.na + s.manual);
      expect(byStatus('PASS')).toBe(s.pass + s.warn);
    }
  });

  it('keeps hostile partner text intact as text through a real XML parser', () => {
    const result = parse({ type: 'junit', files: [write('hostile.xml', renderJunit(hostileReport()))] });
    const cases = result.suites.flatMap((suite) => suite.cases);
    const failed = cases.find((c) => c.name.includes('[<script>alert(1)</script>]'))!;
    // The message attribute is one line: the tab and line break become spaces.
    expect(failed.failure).toBe('bad char "quoted" & \'single\' <tag> ]]> --> lone second line');
  });
});

describeWithTool(
  xmllintPath,
  'junit.xml against the Jenkins JUnit XSD (xmllint)',
  'apt-get install -y libxml2-utils',
  (xmllint) => {
    const validate = (path: string) =>
      spawnSync(xmllint, ['--noout', '--schema', XSD, path], { encoding: 'utf8' });

    it('validates for a passing, a failing and a hostile report', () => {
      for (const [name, report] of [
        ['pass.xml', passingReport()],
        ['fail.xml', failingReport()],
        ['hostile.xml', hostileReport()],
      ] as const) {
        const result = validate(write(name, renderJunit(report)));
        expect(result.stderr).toContain('validates');
        expect(result.status).toBe(0);
      }
    });

    it('validates a report without rows', () => {
      const empty = passingReport();
      empty.checks = [];
      empty.latency = [];
      expect(validate(write('empty.xml', renderJunit(refinish(empty)))).status).toBe(0);
    });

    it('rejects a file that breaks the schema, so the check above can fail', () => {
      const broken = renderJunit(failingReport()).replace('<skipped>', '<skipped message="x">');
      const result = validate(write('broken.xml', broken));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/skipped.*message/);
    });
  },
);
