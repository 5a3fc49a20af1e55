/**
 * junit.xml for CI servers: one <testsuite> per requirement family, one <testcase> per report row.
 * The shape follows the Jenkins JUnit schema (test/fixtures/junit/jenkins-junit.xsd), which Jenkins,
 * GitLab and the GitHub test reporters read: fail → <failure>, error → <error>, skip/na/manual →
 * <skipped>, warn → passed with the warning in <system-out>.
 */
import type { CheckRow, Evidence, Report } from '../core/model.js';
import { CATALOGUE_FILE } from '../core/requirements.js';
import { requirementRef } from './requirement-ref.js';
import { groupByFamily, oneLine } from './rows.js';
import { verdictBanner } from './verdict.js';
import { xmlAttr, xmlText } from './xml.js';

function seconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0.000';
}

/** Ant and Jenkins read a timestamp without zone or fraction; the report's times are UTC. */
function timestamp(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '1970-01-01T00:00:00' : new Date(t).toISOString().slice(0, 19);
}

function hostname(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || 'localhost';
  } catch {
    return 'localhost';
  }
}

function caseName(row: CheckRow): string {
  return `${row.requirement} ${row.title}${row.subject ? ` [${row.subject}]` : ''}`;
}

function evidenceLine(e: Evidence): string {
  const outcome = e.error
    ? `${e.error.code}: ${e.error.message}`
    : e.response
      ? `HTTP ${e.response.status}`
      : 'no response';
  return `${e.request.method} ${e.request.url} -> ${outcome} (${Math.round(e.timing.totalMs)} ms)`;
}

/** The body of a failure or error: what a CI page shows under the message. */
function detail(row: CheckRow): string {
  const lines = [
    row.message,
    '',
    `requirement: ${row.requirement} (${row.level}), explained in ${requirementRef(row.requirement)}`,
    `row: ${row.id}`,
  ];
  if (row.subject) lines.push(`subject: ${row.subject}`);
  if (row.evidence.length > 0) {
    lines.push('evidence (full requests and responses in report.html):');
    for (const e of row.evidence) lines.push(`  ${evidenceLine(e)}`);
  }
  return lines.join('\n');
}

const SKIP_WORD = { skip: 'skipped', na: 'not applicable', manual: 'manual attestation required' } as const;

function testcase(row: CheckRow, classname: string): string {
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(caseName(row))}" time="${seconds(row.durationMs)}"`;
  switch (row.status) {
    case 'fail':
      return `${open}>\n      <failure message="${xmlAttr(oneLine(row.message, 500))}" type="${xmlAttr(row.level)}">${xmlText(detail(row))}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${xmlAttr(oneLine(row.message, 500))}" type="error">${xmlText(detail(row))}</error>\n    </testcase>`;
    case 'skip':
    case 'na':
    case 'manual':
      // The Jenkins schema gives <skipped> text content only, so the reason is its text.
      return `${open}>\n      <skipped>${xmlText(`${SKIP_WORD[row.status]}: ${row.message} (${requirementRef(row.requirement)})`)}</skipped>\n    </testcase>`;
    case 'warn':
      return `${open}>\n      <system-out>${xmlText(`WARNING (${row.level}): ${row.message} (${requirementRef(row.requirement)})`)}</system-out>\n    </testcase>`;
    default:
      return `${open}/>`;
  }
}

export function renderJunit(report: Report): string {
  const host = hostname(report.target.baseUrl);
  const stamp = timestamp(report.startedAt);
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  groupByFamily(report.checks).forEach((group, index) => {
    const c = group.counts;
    const skipped = c.skip + c.na + c.manual;
    const ms = group.rows.reduce((sum, r) => sum + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
    totals.tests += group.rows.length;
    totals.failures += c.fail;
    totals.errors += c.error;
    totals.skipped += skipped;
    totals.ms += ms;
    const properties = index === 0 ? suiteProperties(report) : '';
    suites.push(
      `  <testsuite name="${xmlAttr(group.family)}" package="fhir-certify" id="${index}" tests="${group.rows.length}" failures="${c.fail}" errors="${c.error}" skipped="${skipped}" time="${seconds(ms)}" timestamp="${stamp}" hostname="${xmlAttr(host)}">\n` +
        properties +
        group.rows.map((r) => testcase(r, group.family)).join('\n') +
        '\n  </testsuite>',
    );
  });
  const name = `fhir-certify ${report.target.profile ?? ''} ${report.target.baseUrl}`.replace(/\s+/g, ' ');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(name)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${seconds(totals.ms)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** Run facts a CI page can show beside the results; on the first suite only, to keep the file small. */
function suiteProperties(report: Report): string {
  const props: Array<[string, string]> = [
    ['fhir-certify.version', report.tool.version],
    ['target.baseUrl', report.target.baseUrl],
    ['target.fhirVersion', report.target.fhirVersion ?? 'unknown'],
    ['target.profile', report.target.profile ?? 'none'],
    ['verdict', report.verdict],
    ['certifiable', String(report.certifiable)],
    ['result', resultText(report)],
    ['digest', report.digest],
    ['requirements', `each ID is explained in fhir-certify's ${CATALOGUE_FILE}#<id in lower case>`],
  ];
  return (
    '    <properties>\n' +
    props.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`).join('\n') +
    '\n    </properties>\n'
  );
}

function resultText(report: Report): string {
  const banner = verdictBanner(report);
  return [`${banner.headline}: ${banner.summary}`, ...banner.lines].join('; ');
}
