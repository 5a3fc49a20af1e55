/**
 * report.html: one self-contained page a reviewer reads on a laptop or prints. Nothing is fetched:
 * style and script are inline and pinned by a Content-Security-Policy hash, so even a rendering slip
 * could not run partner markup. Everything is readable without script; evidence folds in <details>.
 *
 * The templates use the `markup` tag (not `html`) so that Prettier leaves their text alone: the CSP
 * hashes cover the exact bytes of the style and script elements.
 */
import { createHash } from 'node:crypto';
import { markup, trusted } from './html-template.js';
import type { Markup } from './html-template.js';
import { diagnosisSentence } from './diagnosis-text.js';
import { css, script } from './html-style.js';
import { layoutJson } from './json-layout.js';
import { latencyChart } from './latency-chart.js';
import { requirementRef } from './requirement-ref.js';
import type { CheckRow, Evidence, Report, Status } from '../core/model.js';
import { statuses } from '../core/model.js';
import { familyNames, formatDuration, formatMs, groupByFamily, maskTenant, problemRows } from './rows.js';
import { verdictBanner } from './verdict.js';

const SYMBOL: Record<Status, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  warn: '⚠',
  skip: '↷',
  manual: '✎',
  na: '–',
};

const STATUS_WORD: Record<Status, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  warn: 'WARN',
  skip: 'SKIP',
  manual: 'MANUAL',
  na: 'N/A',
};

/** Bodies are pretty-printed when they are JSON small enough to read; anything else is shown as is. */
const PRETTY_LIMIT = 256 * 1024;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function badge(status: Status): Markup {
  const known = statuses.includes(status);
  return markup`<span class="badge s-${known ? status : 'na'}"><span aria-hidden="true">${SYMBOL[status] ?? '?'} </span>${STATUS_WORD[status] ?? String(status)}</span>`;
}

/** Indented only when the body is valid JSON; its string literals stay exactly as they were masked. */
function pretty(body: string): string {
  const trimmed = body.trim();
  if (body.length > PRETTY_LIMIT || !(trimmed.startsWith('{') || trimmed.startsWith('['))) return body;
  try {
    JSON.parse(trimmed);
  } catch {
    return body;
  }
  return layoutJson(trimmed) ?? body;
}

function headerText(headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

function part(label: string, text: string | undefined): Markup | '' {
  if (text === undefined || text === '') return '';
  return markup`<span class="part-label">${label}</span><pre>${text}</pre>`;
}

function exchange(e: Evidence): Markup {
  const res = e.response;
  const outcome = e.error
    ? markup`<strong>${e.error.code}</strong>: ${e.error.message}`
    : res
      ? markup`<strong>HTTP ${res.status}</strong>`
      : markup`no response`;
  const headers = e.timing.headersMs !== undefined ? ` (headers ${formatMs(e.timing.headersMs)})` : '';
  return markup`<div class="exchange">
<p class="line"><code>${e.request.method} ${e.request.url}</code> → ${outcome} <span class="note">in ${formatMs(e.timing.totalMs)}${headers}, ${e.timing.startedAt}</span></p>
${e.redirect ? markup`<p class="note">Redirect to ${e.redirect.crossOrigin ? 'another origin' : 'the same origin'}, not followed: <code>${e.redirect.location}</code></p>` : ''}
${e.note ? markup`<p class="note">${e.note}</p>` : ''}
${part('Request headers', headerText(e.request.headers))}
${part('Request body', e.request.body)}
${res ? part('Response headers', headerText(res.headers)) : ''}
${res?.body ? part(`Response body (${res.bodyBytes} bytes${res.truncated ? ', truncated' : ''})`, pretty(res.body)) : ''}
${res && !res.body && res.bodyBytes > 0 ? markup`<p class="note">Response body of ${res.bodyBytes} bytes not kept.</p>` : ''}
</div>`;
}

function evidenceDetails(row: CheckRow): Markup {
  const n = row.evidence.length;
  return markup`<details><summary>Evidence: ${n} exchange${n === 1 ? '' : 's'}</summary>
${row.evidence.map(exchange)}
</details>`;
}

const TONE_SYMBOL = { certified: '✓ ', failed: '✗ ', passed: '⚠ ' } as const;

/** Why the partner could not be judged as a whole, first in the banner; nothing when it could. */
function diagnosisLine(report: Report): Markup | undefined {
  const sentence = diagnosisSentence(report);
  return sentence ? markup`<p class="diagnosis" role="alert"><strong>${sentence}</strong></p>\n` : undefined;
}

/** The banner: the headline, what it rests on, then one paragraph per further line of the verdict. */
function verdictSection(report: Report): Markup {
  const banner = verdictBanner(report);
  return markup`<section class="verdict tone-${banner.tone}" aria-labelledby="verdict-word">
<p class="word" id="verdict-word"><span aria-hidden="true">${TONE_SYMBOL[banner.tone]}</span>${banner.headline}</p>
${diagnosisLine(report)}<p>${banner.summary}.</p>
${banner.lines.map((line) => markup`<p>${line}.</p>`)}
</section>`;
}

/**
 * Links to every section, right under the verdict: the page is long (every check with its
 * evidence), and a reviewer goes straight to what they came for.
 */
function contentsNav(report: Report): Markup {
  const attention = problemRows(report, ['fail', 'error', 'warn', 'manual']).length;
  const manual = report.checks.filter((r) => r.status === 'manual').length;
  const links: Array<[string, string]> = [
    ['#target', 'Target'],
    ['#summary', 'Summary by family'],
    ['#attention', `Needs attention (${attention})`],
  ];
  if (report.latency.length > 0) links.push(['#latency', `Latency (${report.latency.length} interactions)`]);
  links.push(['#checks', `All checks (${report.checks.length})`]);
  if (manual > 0) links.push(['#manual', `Manual attestations (${manual})`]);
  links.push(['#integrity', 'Integrity']);
  return markup`<nav class="contents" aria-label="Sections of this report"><ul>${links.map(([href, text]) => markup`<li><a href="${href}">${text}</a></li>`)}</ul></nav>`;
}

function targetSection(report: Report): Markup {
  const t = report.target;
  const tenants = t.tenants.length > 0 ? t.tenants.map(maskTenant).join(', ') : 'none given';
  const settings =
    t.settings && Object.keys(t.settings).length > 0
      ? markup`<details><summary>Run settings</summary><pre>${JSON.stringify(t.settings, null, 2)}</pre></details>`
      : '';
  return markup`<section id="target" aria-labelledby="target-h">
<h2 id="target-h">Target</h2>
<dl class="target">
<dt>FHIR base URL</dt><dd><code>${t.baseUrl}</code></dd>
${t.tokenUrl ? markup`<dt>Token URL</dt><dd><code>${t.tokenUrl}</code>${t.credentialsSentTo?.crossOrigin ? markup` <span class="note">(another origin than the FHIR base: the client secret went there)</span>` : ''}</dd>` : ''}
<dt>FHIR version</dt><dd>${t.fhirVersion ?? 'unknown'}</dd>
<dt>Profile</dt><dd>${t.profile ?? 'none'}</dd>
<dt>Tenants</dt><dd>${tenants} <span class="note">(shown in part)</span></dd>
<dt>Run</dt><dd>${report.startedAt} to ${report.finishedAt} (${formatDuration(report.durationMs)})</dd>
<dt>Tool</dt><dd>${report.tool.name} ${report.tool.version}</dd>
</dl>
${settings}
</section>`;
}

function summarySection(report: Report): Markup {
  const groups = groupByFamily(report.checks);
  const cell = (n: number): Markup => markup`<td class="num${n === 0 ? ' zero' : ''}">${n}</td>`;
  const heads = statuses.map((s) => markup`<th scope="col" class="num">${STATUS_WORD[s]}</th>`);
  const rows = groups.map(
    (g) =>
      markup`<tr><th scope="row"><a href="#fam-${g.family}">${g.family}</a> <span class="title">${familyNames[g.family] ?? ''}</span></th>${statuses.map((s) => cell(g.counts[s]))}<td class="num">${g.rows.length}</td></tr>`,
  );
  return markup`<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary by requirement family</h2>
<table>
<caption>Number of checks in each status, by requirement family</caption>
<thead><tr><th scope="col">Family</th>${heads}<th scope="col" class="num">Total</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row">All</th>${statuses.map((s) => cell(report.summary[s] ?? 0))}<td class="num">${report.checks.length}</td></tr></tfoot>
</table>
</section>`;
}

function problemsSection(report: Report, anchors: Map<CheckRow, string>): Markup {
  // A manual row is not a failure, but nobody has confirmed it yet: a reviewer must act on it.
  const problems = problemRows(report, ['fail', 'error', 'warn', 'manual']);
  if (problems.length === 0) {
    return markup`<section id="attention" aria-labelledby="problems-h"><h2 id="problems-h">Needs attention</h2><p>No check failed, errored, warned or awaits a reviewer's attestation.</p></section>`;
  }
  const rows = problems.map(
    (r) =>
      markup`<tr class="row-${r.status}"><th scope="row"><a class="req" href="#${anchors.get(r) ?? ''}">${r.requirement}</a><span class="title">${r.title}</span></th><td>${r.level}</td><td>${badge(r.status)}</td><td>${r.subject ?? ''}</td><td class="msg">${r.message}</td></tr>`,
  );
  return markup`<section id="attention" aria-labelledby="problems-h">
<h2 id="problems-h">Needs attention</h2>
<table>
<caption>${problems.length} failed, errored, warned or manual checks, failures first</caption>
<thead><tr><th scope="col">Requirement</th><th scope="col">Level</th><th scope="col">Status</th><th scope="col">Subject</th><th scope="col">Message</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

function checkRow(r: CheckRow, anchor: string): Markup {
  const evidence =
    r.evidence.length > 0 ? markup`<tr class="evidence"><td colspan="6">${evidenceDetails(r)}</td></tr>` : '';
  return markup`<tr id="${anchor}" class="row-${r.status}"><th scope="row"><span class="req">${r.requirement}</span><span class="title">${r.title}</span><span class="ref">${requirementRef(r.requirement)}</span></th><td>${r.level}</td><td>${badge(r.status)}</td><td>${r.subject ?? ''}</td><td class="msg">${r.message}</td><td class="num">${formatMs(r.durationMs)}</td></tr>
${evidence}`;
}

function checksSection(report: Report, anchors: Map<CheckRow, string>): Markup {
  const families = groupByFamily(report.checks).map((g) => {
    const counts = statuses
      .filter((s) => g.counts[s] > 0)
      .map((s) => `${g.counts[s]} ${STATUS_WORD[s]}`)
      .join(', ');
    return markup`<section id="fam-${g.family}" aria-labelledby="fam-${g.family}-h">
<h3 id="fam-${g.family}-h">${g.family}: ${familyNames[g.family] ?? 'other'}</h3>
<table>
<caption>${g.family} checks: ${counts}</caption>
<thead><tr><th scope="col">Requirement</th><th scope="col">Level</th><th scope="col">Status</th><th scope="col">Subject</th><th scope="col">Message</th><th scope="col" class="num">Time</th></tr></thead>
<tbody>
${g.rows.map((r) => checkRow(r, anchors.get(r) ?? ''))}
</tbody>
</table>
</section>`;
  });
  return markup`<section id="checks" aria-labelledby="checks-h">
<h2 id="checks-h">All checks</h2>
<p class="tools" id="evidence-tools"></p>
${families}
</section>`;
}

/** Extra latency figures are optional in the contract: reports from other writers may lack them. */
function optionalMs(value: unknown): string {
  return typeof value === 'number' ? formatMs(value) : '—';
}

function latencySection(report: Report): Markup | '' {
  if (report.latency.length === 0) return '';
  const rows = report.latency.map((l) => {
    const p95 =
      l.budgetP95 > 0 && l.p95 > l.budgetP95
        ? markup`<strong>${formatMs(l.p95)} (over)</strong>`
        : formatMs(l.p95);
    return markup`<tr class="row-${l.status}"><th scope="row">${l.requirement}</th><td class="wrap">${l.interaction}</td><td class="num">${l.samples}</td><td class="num">${formatMs(l.p50)}</td><td class="num">${p95}</td><td class="num">${formatMs(l.p99)}</td><td class="num">${formatMs(l.max)}</td><td class="num">${optionalMs(l.ttfbP50)}</td><td class="num">${typeof l.errors === 'number' ? String(l.errors) : '—'}</td><td class="num">${formatMs(l.budgetP95)}</td><td>${badge(l.status)}</td></tr>`;
  });
  return markup`<section id="latency" aria-labelledby="latency-h">
<h2 id="latency-h">Latency</h2>
<table class="figures">
<caption>Response time percentiles per interaction, in milliseconds, against the p95 budget</caption>
<thead><tr><th scope="col">Requirement</th><th scope="col">Interaction</th><th scope="col" class="num">Samples</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th><th scope="col" class="num">p99</th><th scope="col" class="num">Max</th><th scope="col" class="num"><abbr title="time to first byte (the response headers), median">TTFB p50</abbr></th><th scope="col" class="num">Errors</th><th scope="col" class="num">Budget p95</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${latencyChart(report.latency)}
</section>`;
}

function manualSection(report: Report): Markup | '' {
  const manual = report.checks.filter((r) => r.status === 'manual');
  if (manual.length === 0) return '';
  const items = manual.map(
    (r) => markup`<li>
<h3><span class="req">${r.requirement}</span> ${r.title}${r.subject ? markup` <span class="note">(${r.subject})</span>` : ''}</h3>
<p>${r.message}</p>
<div class="signoff"><span>Result (pass / fail)</span><span class="blank"></span><span>Reviewer</span><span class="blank"></span><span>Date</span><span class="blank"></span><span>Signature</span><span class="blank"></span></div>
</li>`,
  );
  return markup`<section id="manual" aria-labelledby="manual-h">
<h2 id="manual-h">Manual attestations</h2>
<p>These requirements are not tested automatically. A reviewer confirms each one against the partner's system and signs below.</p>
<ol class="attest">
${items}
</ol>
</section>`;
}

function footer(report: Report & { signature?: { alg: string; publicKeyFingerprint: string } }): Markup {
  const signature = report.signature
    ? markup`<p>Signed (${report.signature.alg}) by the key with fingerprint <code class="digest">${report.signature.publicKeyFingerprint}</code>.</p>`
    : '';
  return markup`<footer id="integrity">
<h2 id="integrity-h">Integrity</h2>
<p>Digest of report.json: <code class="digest">${report.digest}</code>. Check it with <code>fhir-certify verify report.json</code>; this page is rendered from that file.</p>
${signature}
</footer>`;
}

export function renderHtml(report: Report): string {
  const anchors = new Map<CheckRow, string>();
  report.checks.forEach((r, i) => anchors.set(r, `row-${i}`));
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${sha256(css)}'`,
    `script-src 'sha256-${sha256(script)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `${verdictBanner(report).headline}: ${report.target.baseUrl} (${report.target.profile ?? 'no profile'})`;
  const page = markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>fhir-certify report: ${title}</title>
<style>${trusted(css)}</style>
</head>
<body>
<header>
<h1>FHIR certification report</h1>
${verdictSection(report)}
${contentsNav(report)}
</header>
<main>
${targetSection(report)}
${summarySection(report)}
${problemsSection(report, anchors)}
${latencySection(report)}
${checksSection(report, anchors)}
${manualSection(report)}
</main>
${footer(report)}
<script>${trusted(script)}</script>
</body>
</html>
`;
  return page.value;
}
