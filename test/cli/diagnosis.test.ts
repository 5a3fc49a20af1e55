/**
 * When the run cannot reach or use the partner at all, the user reads one sentence with the cause (in
 * the console, summary.md, the HTML banner and report.json's `diagnosis`), the row that found it fails,
 * and the rows that could not be judged for that reason are skipped naming it, instead of each failing
 * and blaming the partner. End to end through the CLI, over real loopback sockets.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { createTestPki } from '../../src/reference-partner/tls.js';
import type { CheckRow, Report } from '../../src/core/model.js';
import { conformantCapability, fhirMediaType } from '../helpers/capability.js';
import { rowsOf, runCli, statusOf, type CliRun } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SECRET = 'diagnosis-test-secret-4f1c9e';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function certify(baseUrl: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(
    [
      'run',
      '--base-url',
      baseUrl,
      '--client-id',
      'teams-patients-app',
      '--tenant',
      TENANT,
      '--samples',
      '2',
      // Progress lines go to stderr off a terminal; quiet, so stderr holds only what went wrong.
      '--quiet',
      '--timeout',
      '5000',
      ...extra,
    ],
    { FHIR_CERTIFY_CLIENT_SECRET: SECRET, ...env },
  );
}

function file(run: CliRun, name: string): string {
  return readFileSync(join(run.reportDir!, name), 'utf8');
}

/** The sentence every renderer prints: the diagnosis message with a capital and a full stop. */
function sentenceOf(report: Report): string {
  const m = report.diagnosis!.message;
  return `${m.charAt(0).toUpperCase()}${m.slice(1)}.`;
}

/** The diagnosis reaches every output, and the verdict line comes right after it on the console. */
function expectDiagnosisEverywhere(run: CliRun): void {
  const report = run.report!;
  const sentence = sentenceOf(report);
  const lines = run.stdout.split('\n');
  const at = lines.indexOf(sentence);
  expect(at, run.stdout).toBeGreaterThan(0);
  expect(lines[at + 1]).toMatch(/^NOT CERTIFIED/);
  expect(file(run, 'summary.md')).toContain(`**${sentence.replace(/([\\`*_[\]|#~!])/g, '\\$1')}**`);
  const html = file(run, 'report.html');
  const banner = /<section class="verdict[^"]*"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  expect(banner).toContain('<p class="diagnosis" role="alert">');
  expect(banner).toContain(sentence.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;'));
  expectContract(report);
  expect(run.everything()).not.toContain(SECRET);
}

function notSkipped(report: Report): CheckRow[] {
  return report.checks.filter((r) => r.status !== 'skip');
}

describe('a partner that cannot be reached at all', () => {
  it('a closed port: one sentence with the cause, META-01 fails, every row that needs the partner is skipped naming it', async () => {
    const port = await closedPort();
    const run = await certify(`https://127.0.0.1:${port}/fhir`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = run.report!;
    expect(report.diagnosis).toEqual({
      kind: 'unreachable',
      cause: 'refused',
      requirement: 'META-01',
      message: `could not reach 127.0.0.1:${port}: connection refused: nothing listens at that address`,
    });
    expectDiagnosisEverywhere(run);
    // Only META-01 fails; SEC-01 still judges the URL's scheme, which needs no answer.
    expect(notSkipped(report).map((r) => `${r.id}=${r.status}`)).toEqual([
      'meta-01-metadata=fail',
      'sec-01-https#FHIR base URL=pass',
    ]);
    expect(rowsOf(report, 'META-01')[0]!.message).toMatch(
      new RegExp(`^could not reach 127\\.0\\.0\\.1:${port}: expected HTTP 200 .* got refused`),
    );
    for (const row of report.checks.filter((r) => r.status === 'skip' && r.requirement !== 'SEC-01')) {
      expect(row.message, row.id).toBe(`skipped (META-01): ${report.diagnosis!.message}`);
    }
    // The cascade the diagnosis replaces: these used to fail or warn one by one.
    for (const id of ['SEC-02', 'SEC-03', 'AUTH-07']) expect(statusOf(report, id), id).toBe('skip');
  });

  it('a host name that does not resolve (.invalid never does): the same, with the DNS cause', async () => {
    const run = await certify('https://ehr.fhir-certify.invalid/fhir');
    expect(run.code).toBe(1);
    const report = run.report!;
    expect(report.diagnosis).toMatchObject({ kind: 'unreachable', cause: 'dns', requirement: 'META-01' });
    expect(report.diagnosis!.message).toMatch(
      /^could not reach ehr\.fhir-certify\.invalid:443: the host name does not resolve \(getaddrinfo (ENOTFOUND|EAI_AGAIN) ehr\.fhir-certify\.invalid\)$/,
    );
    expectDiagnosisEverywhere(run);
    expect(report.checks.filter((r) => r.status === 'fail').map((r) => r.requirement)).toEqual(['META-01']);
    expect(report.summary.warn).toBe(0);
    expect(rowsOf(report, 'SEC-02').every((r) => r.status === 'skip')).toBe(true);
    // No row pretends the run had no credentials: it had them, and never got to use them.
    expect(run.everything()).not.toMatch(/the run has no credentials/);
  });

  describe('a TLS certificate that does not validate', () => {
    it('is still SEC-02’s own failure; every other row that needs the partner is skipped naming it', async () => {
      const pki = await createTestPki();
      const partner = await startReferencePartner({ tls: { key: pki.key, cert: pki.cert } });
      open.push(partner, { close: async () => pki.dispose() });
      const run = await runCli(
        [
          'run',
          '--base-url',
          partner.baseUrl('stu3'),
          '--client-id',
          partner.clientId,
          '--tenant',
          partner.tenants[0],
          '--samples',
          '2',
        ],
        { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret },
      );
      expect(run.code).toBe(1);
      const report = run.report!;
      expect(report.diagnosis).toMatchObject({ kind: 'unreachable', cause: 'tls', requirement: 'META-01' });
      expect(report.diagnosis!.message).toMatch(/^could not reach 127\.0\.0\.1:\d+: TLS failed: /);
      expectDiagnosisEverywhere(run);
      const [tls] = rowsOf(report, 'SEC-02');
      expect(tls!.status).toBe('fail');
      expect(tls!.message).toMatch(/certificate does not validate against the system store/);
      const failed = report.checks.filter((r) => r.status === 'fail').map((r) => r.requirement);
      expect(failed).toEqual(['META-01', 'SEC-02']);
      for (const id of ['SEC-03', 'AUTH-01', 'AUTH-07', 'RES-PAT-1', 'LAT-01']) {
        expect(statusOf(report, id), id).toBe('skip');
        expect(rowsOf(report, id)[0]!.message).toContain(report.diagnosis!.message);
      }
    });
  });
});

describe('a partner that refuses the run’s own credentials', () => {
  async function reference(): Promise<ReferencePartner> {
    const p = await startReferencePartner();
    open.push(p);
    return p;
  }

  it('says to check --client-id and the secret’s variable; AUTH-05 and the data families are skipped naming AUTH-01', async () => {
    const p = await reference();
    const run = await runCli(
      [
        'run',
        '--base-url',
        p.baseUrl('stu3'),
        '--allow-insecure-http',
        '--client-id',
        p.clientId,
        '--client-secret-env',
        'PARTNER_SECRET',
        ...p.tenants.flatMap((t) => ['--tenant', t]),
        '--samples',
        '2',
      ],
      { PARTNER_SECRET: SECRET },
    );
    expect(run.code).toBe(1);
    const report = run.report!;
    expect(report.diagnosis).toEqual({
      kind: 'credentials-refused',
      requirement: 'AUTH-01',
      message: 'the partner refused these credentials: check --client-id and the secret in $PARTNER_SECRET',
    });
    expectDiagnosisEverywhere(run);
    const auth01 = rowsOf(report, 'AUTH-01')[0]!;
    expect(auth01.status).toBe('fail');
    expect(auth01.message).toMatch(/invalid_client.*the partner refused these credentials/);
    // The grant_type refusal is not judged on credentials the partner refuses.
    for (const row of rowsOf(report, 'AUTH-05')) {
      expect(row.status).toBe('skip');
      expect(row.message).toBe(`skipped (AUTH-01): ${report.diagnosis!.message}`);
    }
    for (const family of [
      'ROUTE-01',
      'ROUTE-02',
      'RES-PAT-1',
      'RES-VAL-1',
      'SRCH-PAT-1',
      'BATCH-1',
      'LAT-03',
    ]) {
      expect(statusOf(report, family), family).toBe('skip');
      expect(rowsOf(report, family)[0]!.message, family).toBe(
        `skipped (AUTH-01): ${report.diagnosis!.message}`,
      );
    }
    // What does not depend on the run's own credentials is still judged, and passes.
    for (const id of ['META-01', 'AUTH-03', 'AUTH-04', 'AUTH-07', 'AUTH-11', 'SEC-03']) {
      expect(statusOf(report, id), id).toBe('pass');
    }
    // SEC-01 fails for plain http (--allow-insecure-http); nothing else but AUTH-01 fails.
    const failed = report.checks.filter((r) => r.status === 'fail').map((r) => r.requirement);
    expect(failed.sort()).toEqual(['AUTH-01', 'SEC-01', 'SEC-01']);
  });

  it('with the right secret there is no diagnosis, and AUTH-05 is judged', async () => {
    const p = await reference();
    const run = await runCli(
      [
        'run',
        '--base-url',
        p.baseUrl('dstu2'),
        '--allow-insecure-http',
        '--client-id',
        p.clientId,
        '--tenant',
        p.tenants[0],
        '--only',
        'AUTH',
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: p.clientSecret },
    );
    expect(run.report!.diagnosis).toBeUndefined();
    expect(statusOf(run.report, 'AUTH-05')).toBe('pass');
    expect(run.stdout).not.toMatch(/refused these credentials|could not reach/);
    expect(file(run, 'report.html')).not.toContain('class="diagnosis"');
  });
});

describe('a token URL that answers nothing a token request could use', () => {
  async function partner(token: Parameters<typeof http.post>[1]): Promise<MswPartner> {
    const p = await startMswPartner([
      http.get('*/fhir/metadata', ({ request }) =>
        HttpResponse.json(conformantCapability('stu3', new URL('/oauth/token', request.url).href), {
          headers: { 'content-type': fhirMediaType.stu3 },
        }),
      ),
      http.get('*/fhir/Patient', () =>
        HttpResponse.json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] },
          { status: 401, headers: { 'www-authenticate': 'Bearer' } },
        ),
      ),
      http.post('*/oauth/token', token),
    ]);
    open.push(p);
    return p;
  }

  it('a 404 page: the token checks are skipped naming AUTH-01, the FHIR base is still judged', async () => {
    const p = await partner(() => new HttpResponse('<html>Not Found</html>', { status: 404 }));
    const tokenUrl = `${p.origin}/oauth/token`;
    const run = await certify(p.baseUrl, ['--allow-insecure-http', '--only', 'META,AUTH']);
    expect(run.code).toBe(1);
    const report = run.report!;
    expect(report.diagnosis).toEqual({
      kind: 'token-endpoint-unusable',
      requirement: 'AUTH-01',
      message: `the token URL ${tokenUrl} answered nothing a token request could use: HTTP 404 (text/plain;charset=UTF-8)`,
    });
    expectDiagnosisEverywhere(run);
    for (const id of ['AUTH-03', 'AUTH-04', 'AUTH-05', 'AUTH-10']) {
      for (const row of rowsOf(report, id)) {
        expect(row.status, id).toBe('skip');
        expect(row.message).toBe(`skipped (AUTH-01): ${report.diagnosis!.message}`);
      }
    }
    expect(statusOf(report, 'AUTH-07')).toBe('pass');
    expect(report.checks.filter((r) => r.status === 'fail').map((r) => r.requirement)).toEqual(['AUTH-01']);
  });

  it('a legal refusal of the token request (400 invalid_scope) is the partner’s answer: no diagnosis, the refusals are judged', async () => {
    const p = await partner(() =>
      HttpResponse.json(
        { error: 'invalid_scope' },
        { status: 400, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } },
      ),
    );
    const run = await certify(p.baseUrl, ['--allow-insecure-http', '--only', 'META,AUTH']);
    const report = run.report!;
    expect(report.diagnosis).toBeUndefined();
    expect(statusOf(report, 'AUTH-01')).toBe('fail');
    expect(rowsOf(report, 'AUTH-05').map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(rowsOf(report, 'AUTH-05')[0]!.message).toMatch(
      /but error=invalid_scope; expected error=unsupported_grant_type or invalid_request/,
    );
  });
});
