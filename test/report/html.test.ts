import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { escapeHtml } from '../../src/report/html-template.js';
import { failingReport, passingReport, refinish } from '../fixtures/reports/build.js';

/** Text with tags removed and the entities this renderer writes decoded: what a reader sees. */
function visibleText(page: string): string {
  return page
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<script>[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('renderHtml', () => {
  const failing = renderHtml(failingReport());

  it('escapes a <script> in a message and in an evidence body: the only script is our own', () => {
    expect(failing.match(/<script/g)).toHaveLength(1);
    expect(failing).not.toContain("alert('msg')");
    expect(failing).toContain('&lt;script&gt;alert(&#39;msg&#39;)&lt;/script&gt;');
    expect(failing).toContain('&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;');
    // …and the reader still sees the partner's text as text.
    expect(visibleText(failing)).toContain("<script>alert('msg')</script>");
  });

  it('escapes partner text in headers, subjects, URLs and latency interactions', () => {
    const report = failingReport();
    const row = report.checks.find((r) => r.evidence.length > 0)!;
    row.evidence[0]!.response!.headers['x-evil'] = '"><img src=x onerror=alert(1)>';
    row.evidence[0]!.request.url = 'https://x.example/"><svg onload=alert(2)>';
    row.subject = '<b>bold</b>';
    report.latency[0]!.interaction = '<iframe src="https://evil.example">';
    report.target.fhirVersion = '"><script>alert(3)</script>';
    const page = renderHtml(report);
    for (const bad of ['<img src=x', '<svg onload', '<b>bold', '<iframe', '<script>alert(3)']) {
      expect(page).not.toContain(bad);
    }
    expect(page).toContain(escapeHtml('"><img src=x onerror=alert(1)>'));
  });

  it('shows the verdict, the certifiable state with its reasons, and every failed requirement ID', () => {
    const text = visibleText(failing);
    expect(text).toContain('NOT CERTIFIED 7 required checks failed or errored.');
    expect(text).toContain('this run could not certify in any case: --allow-insecure-http was set');
    expect(text).toContain('only a subset was run (--only META,AUTH)');
    const failed = failingReport().checks.filter((r) => r.status === 'fail' || r.status === 'error');
    expect(failed.length).toBeGreaterThan(5);
    for (const r of failed) expect(text).toContain(`${r.requirement} ${r.title}`);
    expect(visibleText(renderHtml(passingReport()))).toContain('CERTIFIED all required checks passed');
  });

  it('never sets "certifiable: yes" beside NOT CERTIFIED, and heads a partial pass PASSED, NOT CERTIFIABLE', () => {
    const failed = passingReport();
    failed.checks.find((r) => r.requirement === 'ROUTE-02')!.status = 'fail';
    const text = visibleText(renderHtml(refinish(failed)));
    expect(text).toContain('NOT CERTIFIED 1 required check failed or errored.');
    expect(text).not.toMatch(/Certifiable: yes/i);
    const partial = passingReport();
    partial.certifiable = false;
    partial.notCertifiableReasons = ['only part of the requirements was run (--only AUTH)'];
    const page = renderHtml(refinish(partial));
    expect(page).toContain('class="verdict tone-passed"');
    expect(visibleText(page)).toContain(
      'PASSED, NOT CERTIFIABLE only part of the requirements was run (--only AUTH). all required checks passed, but a run like this one cannot certify the partner.',
    );
  });

  it('names the rows awaiting a reviewer in the banner and in Needs attention', () => {
    const page = renderHtml(passingReport());
    const banner = visibleText(
      page.slice(page.indexOf('<section class="verdict'), page.indexOf('</header>')),
    );
    expect(banner).toContain("2 checks need a reviewer's attestation: AUTH-09, AUTH-10.");
    const attention = page.slice(page.indexOf('id="problems-h"'), page.indexOf('id="checks-h"'));
    expect(attention).not.toContain('No check failed');
    expect(visibleText(attention)).toMatch(/AUTH-09 .* MANUAL/);
    expect(visibleText(attention)).toMatch(/AUTH-10 .* MANUAL/);
  });

  it('is self-contained: no external URL is loaded, only inline style and one hashed inline script', () => {
    expect(failing).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(failing).not.toMatch(/\bsrc=/i);
    expect(failing).not.toMatch(/@import|url\(/i);
    expect(failing).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-/,
    );
  });

  it('is accessible: language, landmarks, captions, header scopes, status in words not just colour', () => {
    expect(failing).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    for (const tag of [
      '<header>',
      '<main>',
      '<footer id="integrity">',
      '<nav ',
      '<caption>',
      '<th scope="col"',
      '<th scope="row"',
    ]) {
      expect(failing).toContain(tag);
    }
    const tables = failing.match(/<table[ >]/g)!.length;
    expect(failing.match(/<caption>/g)).toHaveLength(tables);
    expect(failing).toContain('<span aria-hidden="true">✗ </span>FAIL</span>');
    expect(failing).toContain('role="img" aria-labelledby="lat-chart-title lat-chart-desc"');
  });

  it('folds each row’s evidence in <details> with the request and the response', () => {
    const details = failing.match(/<details><summary>Evidence: \d+ exchanges?<\/summary>/g)!;
    expect(details.length).toBe(failingReport().checks.filter((r) => r.evidence.length > 0).length);
    expect(failing).toContain(
      '<code>POST https://auth.partner.example/oauth2/token</code> → <strong>HTTP 200</strong>',
    );
    expect(failing).toContain('<strong>timeout</strong>: no response headers within 10000 ms');
    expect(failing).toContain('authorization: Bearer eyJhbG…(812 chars, masked)');
  });

  it('masks tenant GUIDs in the target but keeps the base URL, version and profile', () => {
    const text = visibleText(failing);
    expect(text).toContain('3f2a…4a5b, b7e4…3d2e');
    expect(text).not.toContain('3f2a9c1e-5b7d-4e21-9a8f-0c1d2e3f4a5b');
    expect(text).toContain('http://127.0.0.1:8080/fhir');
    expect(text).toContain('FHIR version 1.0.2');
    expect(text).toContain('Profile patients-app-dstu2');
  });

  it('lists manual rows for sign-off, draws the latency chart and prints the digest', () => {
    const text = visibleText(failing);
    expect(text).toContain('Manual attestations');
    expect(text).toMatch(/AUTH-09 an expired token gets 401 .* Reviewer/);
    expect(failing.match(/class="signoff"/g)).toHaveLength(2);
    expect(failing).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(failing.match(/<g class="over">/g)).toHaveLength(1);
    expect(failing.match(/<line class="budget"/g)).toHaveLength(5);
    expect(text).toContain(failingReport().digest);
  });

  it('draws a sub-millisecond p95 as a bar a reader can see, on a log axis, with its share of the budget', () => {
    const report = passingReport();
    report.latency = [
      { ...report.latency[0]!, p50: 0.2, p95: 0.3, p99: 0.5, budgetP95: 1000 },
      { ...report.latency[1]!, p50: 800, p95: 1500, p99: 2400, budgetP95: 2500 },
    ];
    const page = renderHtml(refinish(report));
    const widths = [...page.matchAll(/<rect class="p95" x="330" y="[\d.]+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    // 586 px of plot for 0.1 ms to 10 s: five decades, 117 px each; 0.3 ms is half a decade in.
    expect(widths[0]).toBeGreaterThan(50);
    expect(widths[1]).toBeGreaterThan(widths[0]! * 4);
    expect(visibleText(page)).toContain('p95 0.3 ms (0.03% of budget)');
    expect(visibleText(page)).toContain('p95 1500 ms (60% of budget)');
    for (const tick of ['0.1 ms', '1 ms', '10 ms', '100 ms', '1 s', '10 s'])
      expect(page).toContain(`>${tick}</text>`);
  });

  it('links every section from under the verdict, latency included', () => {
    const page = renderHtml(failingReport());
    const nav = page.slice(page.indexOf('<nav '), page.indexOf('</nav>'));
    const targets = [...nav.matchAll(/href="#([a-z]+)"/g)].map((m) => m[1]!);
    expect(targets).toEqual(['target', 'summary', 'attention', 'latency', 'checks', 'manual', 'integrity']);
    for (const id of targets) expect(page).toContain(`id="${id}"`);
    expect(visibleText(nav)).toContain('Latency (5 interactions)');
  });

  it('shows time to first byte and the error count beside the percentiles, a dash when absent', () => {
    const report = failingReport();
    report.latency[0] = { ...report.latency[0]!, ttfbP50: 12.345, errors: 3 };
    const text = visibleText(renderHtml(report));
    expect(text).toContain('TTFB p50 Errors Budget p95');
    expect(text).toMatch(/12\.3 ms 3 /);
    expect(text).toContain('—');
  });

  it('prints folded evidence open', () => {
    expect(failing).toMatch(/@media print \{[\s\S]*details::details-content \{ content-visibility: visible;/);
    expect(failing).toContain("addEventListener('beforeprint'");
  });

  it('indents a JSON body without decoding its escapes, so a masked value stays as it was masked', () => {
    const report = failingReport();
    const row = report.checks.find((r) => r.evidence.some((e) => e.response?.body))!;
    // PHP's json_encode writes `/` as `\/`; another partner writes every character as \uXXXX.
    row.evidence[0]!.response!.body = '{"a":"kP3\\/9xQ","b":["\\u006B\\u0050",{"c":null}],"d":{}}';
    const page = renderHtml(report);
    expect(page).toContain('kP3\\/9xQ');
    expect(page).toContain('\\u006B\\u0050');
    expect(page).not.toContain('kP3/9xQ');
    expect(page).not.toContain('"kP"');
    // Still laid out for reading.
    expect(page).toContain('{\n  &quot;a&quot;: &quot;kP3\\/9xQ&quot;,\n  &quot;b&quot;: [');
  });
});
