/**
 * Hostile token endpoints and capability statements that point the token request somewhere odd. The
 * parser is tested directly (requestToken + parseTokenResponse over a real socket), and end to end
 * through `run --only AUTH` / `--only SEC` against a partner whose token answer is the hostile part.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { requestToken } from '../../src/auth/token-client.js';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';
import { allChecks } from '../../suites/index.js';
import { conformantCapability, fhirMediaType } from '../helpers/capability.js';
import { runCli, rowsOf } from '../helpers/cli.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { CLIENT_ID, SECRET, TENANT_A, TOKENS, startMiniPartner } from './mini-partner.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

const hasRequirement = (id: string) => allChecks.some((c) => c.requirement === id);
const deep = '['.repeat(100_000) + ']'.repeat(100_000);

/** Token answers that must never yield a token, and the reason parseTokenResponse gives. */
const hostileTokenAnswers: Array<{ name: string; answer: () => Response; reason: RegExp }> = [
  {
    name: '200 with an HTML page',
    answer: () =>
      new HttpResponse('<html><body>Login</body></html>', { headers: { 'content-type': 'text/html' } }),
    reason: /HTTP 200 but the body is not valid JSON \(it looks like HTML or XML\)/,
  },
  {
    name: 'access_token is a number',
    answer: () => HttpResponse.json({ access_token: 12345, token_type: 'Bearer', expires_in: 3600 }),
    reason: /access_token is 12345, not a non-empty string/,
  },
  {
    name: 'access_token is an object',
    answer: () => HttpResponse.json({ access_token: { value: 'x' }, token_type: 'Bearer', expires_in: 3600 }),
    reason: /access_token is an object \{"value"\}, not a non-empty string/,
  },
  {
    name: 'access_token is 100 000 nested arrays',
    answer: () =>
      new HttpResponse(`{"access_token":${deep},"token_type":"Bearer","expires_in":3600}`, {
        headers: { 'content-type': 'application/json' },
      }),
    reason: /access_token is an array of 1 item, not a non-empty string/,
  },
  {
    name: 'access_token is empty',
    answer: () => HttpResponse.json({ access_token: '', token_type: 'Bearer', expires_in: 3600 }),
    reason: /access_token is "", not a non-empty string/,
  },
  {
    name: 'expires_in is a string',
    answer: () =>
      HttpResponse.json({ access_token: TOKENS[TENANT_A], token_type: 'Bearer', expires_in: '3600' }),
    reason: /expires_in is "3600", not a positive integer/,
  },
  {
    name: 'token_type is missing',
    answer: () => HttpResponse.json({ access_token: TOKENS[TENANT_A], expires_in: 3600 }),
    reason: /token_type is missing, not "Bearer"/,
  },
  {
    name: 'the JSON is an array',
    answer: () => HttpResponse.json([{ access_token: TOKENS[TENANT_A] }]),
    reason: /HTTP 200 but the JSON is not an object/,
  },
  {
    name: 'truncated JSON',
    answer: () =>
      new HttpResponse('{"access_token":"abc', { headers: { 'content-type': 'application/json' } }),
    reason: /HTTP 200 but the body is not valid JSON/,
  },
];

describe('hostile token answers: parseTokenResponse over a real socket', () => {
  it.each(hostileTokenAnswers)('$name → no token, and the reason', async ({ answer, reason }) => {
    partner = await startMswPartner([http.post('*/oauth/token', () => answer())]);
    const redactor = new Redactor();
    const client = new HttpClient({
      timeoutMs: 5000,
      maxResponseBytes: 1 << 22,
      redactor,
      allowInsecureHttp: true,
    });
    try {
      const { parsed } = await requestToken(
        client,
        `${partner.origin}/oauth/token`,
        { clientId: CLIENT_ID, clientSecret: SECRET, scope: TENANT_A, method: 'client_secret_post' },
        redactor,
      );
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason).toMatch(reason);
        expect(parsed.reason.length).toBeLessThan(300);
        expect(parsed.reason).not.toContain(TOKENS[TENANT_A]);
      }
    } finally {
      await client.close();
    }
  });
});

async function certifyAuth(extra: string[] = [], only = 'AUTH') {
  return runCli(
    [
      'run',
      '--base-url',
      partner!.baseUrl,
      '--allow-insecure-http',
      '--client-id',
      CLIENT_ID,
      '--tenant',
      TENANT_A,
      '--only',
      only,
      // No progress lines: stderr must stay empty whatever the partner did.
      '--quiet',
      ...extra,
    ],
    { FHIR_CERTIFY_CLIENT_SECRET: SECRET },
  );
}

describe.skipIf(!hasRequirement('AUTH-01'))('hostile token answers end to end: AUTH-01 fails, exit 1', () => {
  it.each(hostileTokenAnswers.filter((c) => !c.name.startsWith('expires_in')))(
    '$name',
    async ({ answer, reason }) => {
      partner = await startMiniPartner({ issue: () => answer() });
      const run = await certifyAuth();
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      const row = rowsOf(run.report, 'AUTH-01')[0]!;
      expect(row.status).toBe('fail');
      expect(row.message).toMatch(reason);
      expect(row.evidence.length).toBeGreaterThan(0);
      expect(
        run.report!.checks.filter((r) => r.status === 'error'),
        'no check crashed',
      ).toEqual([]);
      const everything = run.everything();
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain(TOKENS[TENANT_A]);
    },
  );

  it('a conformant token answer passes AUTH-01 (the hostile partner is otherwise sound)', async () => {
    partner = await startMiniPartner();
    const run = await certifyAuth();
    const row = rowsOf(run.report, 'AUTH-01')[0]!;
    expect(row.status, row.message).toBe('pass');
    expect(run.everything()).not.toContain(TOKENS[TENANT_A]);
  });
});

/** An unsigned JWT: `{"alg":"none"}` header, claims that are otherwise right, an empty signature. */
function unsignedJwt(tenant: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ tid: tenant, scope: tenant, exp: now + 3600, iat: now })}.`;
}

describe.skipIf(!hasRequirement('AUTH-06'))('a JWT with alg none', () => {
  it('AUTH-06 flags an unsigned token (recommended: warn)', async () => {
    partner = await startMiniPartner({
      issue: (tenant) =>
        HttpResponse.json(
          { access_token: unsignedJwt(tenant), token_type: 'Bearer', expires_in: 3600 },
          { headers: { 'cache-control': 'no-store', pragma: 'no-cache' } },
        ),
      accepts: (token) => token === unsignedJwt(TENANT_A) || token.endsWith('.'),
    });
    const run = await certifyAuth();
    expect(rowsOf(run.report, 'AUTH-01')[0]!.status).toBe('pass');
    const row = rowsOf(run.report, 'AUTH-06')[0]!;
    expect(row.status).toBe('warn');
    expect(row.message).toMatch(/alg.*none|unsigned/i);
    expect(run.everything()).not.toContain(unsignedJwt(TENANT_A).split('.')[1]);
  });
});

describe('a capability statement that points the token request elsewhere', () => {
  function servingTokenUrl(tokenUrl: string) {
    return startMswPartner([
      http.get('*/fhir/metadata', () =>
        HttpResponse.json(conformantCapability('stu3', tokenUrl), {
          headers: { 'content-type': fhirMediaType.stu3 },
        }),
      ),
    ]);
  }

  it('a token URL on another host is absolute: META-04 passes and names it', async () => {
    partner = await servingTokenUrl('https://login.other-host.example/tenant/oauth2/token');
    const run = await certifyAuth([], 'META');
    const row = rowsOf(run.report, 'META-04')[0]!;
    expect(row.status).toBe('pass');
    expect(row.message).toContain('https://login.other-host.example/tenant/oauth2/token');
    expect(run.report!.target.tokenUrl).toBe('https://login.other-host.example/tenant/oauth2/token');
  });

  it('a relative token URL fails META-04', async () => {
    partner = await servingTokenUrl('/oauth/token');
    const run = await certifyAuth([], 'META');
    expect(run.code).toBe(1);
    expect(rowsOf(run.report, 'META-04')[0]!.status).toBe('fail');
  });

  it.skipIf(!hasRequirement('SEC-01'))('a plain-http token URL passes META-04 but fails SEC-01', async () => {
    partner = await servingTokenUrl('http://auth.example.com/token');
    const run = await certifyAuth([], 'META,SEC-01');
    expect(rowsOf(run.report, 'META-04')[0]!.status).toBe('pass');
    const sec = rowsOf(run.report, 'SEC-01');
    expect(
      sec.some((r) => r.status === 'fail' && /http:\/\/auth\.example\.com\/token/.test(r.message)),
      JSON.stringify(sec.map((r) => r.message)),
    ).toBe(true);
    expect(run.code).toBe(1);
  });
});

describe('where the client secret goes is visible', () => {
  it('a token endpoint that redirects: the row names the location and that it is another origin', async () => {
    partner = await startMiniPartner({
      extra: [
        http.post(
          '*/oauth/token',
          () =>
            new HttpResponse(null, {
              status: 307,
              headers: { location: 'https://idp.elsewhere.example/token' },
            }),
        ),
      ],
    });
    const run = await certifyAuth();
    const row = rowsOf(run.report, 'AUTH-01')[0]!;
    expect(row.status).toBe('fail');
    expect(row.message).toMatch(
      /HTTP 307 redirect to another origin \(https:\/\/idp\.elsewhere\.example\/token\), not followed/,
    );
  });

  it('a token URL on another origin than the FHIR base is named in the console, the report and the HTML banner', async () => {
    let port = '';
    partner = await startMiniPartner({
      extra: [
        // The capability statement names the same server by another host name: another origin.
        http.get('*/fhir/metadata', () =>
          HttpResponse.json(conformantCapability('stu3', `http://localhost:${port}/oauth/token`), {
            headers: { 'content-type': fhirMediaType.stu3 },
          }),
        ),
      ],
    });
    port = new URL(partner.baseUrl).port;
    const run = await certifyAuth([], 'META');
    expect(run.report!.target.credentialsSentTo).toEqual({ host: `localhost:${port}`, crossOrigin: true });
    const sentence = `client secret sent to localhost:${port}, another origin than the FHIR base (the token URL the capability statement names)`;
    expect(run.stdout).toContain(sentence);
    const file = (name: string) => readFileSync(join(run.reportDir!, name), 'utf8');
    // Under the verdict of the HTML banner and of summary.md, a line of its own.
    expect(file('report.html')).toContain(`<p>${sentence}.</p>`);
    expect(file('summary.md')).toContain(`${sentence}.`);
  });

  it('a token URL on the FHIR base origin is said to be so', async () => {
    partner = await startMiniPartner();
    const run = await certifyAuth([], 'META');
    const host = new URL(partner.baseUrl).host;
    expect(run.report!.target.credentialsSentTo).toEqual({ host, crossOrigin: false });
    expect(run.stdout).toContain(`client secret sent to ${host}, the FHIR base's own origin`);
  });
});
