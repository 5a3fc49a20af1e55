/**
 * No secret and no whole token in any output, against a partner that does its worst: it echoes the
 * client secret back in error descriptions and headers, reflects the Authorization header into bodies
 * and headers, and the run includes checks that throw with credentials in their messages. Every byte
 * of every output (report files, console, stderr, thrown messages turned into rows) is scanned for
 * the secret, the rotated secret and every token the partner issued.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { asTenant, fhirUrl } from '../../src/auth/session.js';
import { certify } from '../../src/certify.js';
import { defineCheck, fail, type Check } from '../../src/engine/check.js';
import { tokenUrl } from '../../src/partner/facts.js';
import { tokensAt } from '../helpers/partner-access.js';
import { resolveRunOptions } from '../../src/config/resolve.js';
import { metadataChecks } from '../../suites/metadata.js';
import { runCli } from '../helpers/cli.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLIENT_ID,
  ROTATED,
  SECRET,
  TENANT_A,
  TENANT_B,
  TOKENS,
  runArgs,
  startMiniPartner,
} from './mini-partner.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

const FORBIDDEN = [SECRET, ROTATED, ...Object.values(TOKENS)];
/** Also the encodings a leak could take: form-encoded, JSON-escaped, base64 in a Basic header. */
const forms = (s: string) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')];

function expectNoSecrets(everything: string) {
  for (const secret of FORBIDDEN) {
    for (const form of forms(secret))
      expect(everything.includes(form), `leaked ${secret.slice(0, 8)}… as ${form.slice(0, 12)}…`).toBe(false);
  }
  expect(everything.includes(`${CLIENT_ID}:${SECRET}`)).toBe(false);
  expect(everything.includes(Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64'))).toBe(false);
}

describe('secrets never reach any output', () => {
  it('a full run (every registered suite) against a partner that echoes credentials', async () => {
    partner = await startMiniPartner({
      extra: [
        // The token endpoint reflects the secret in its success answer too.
        http.get('*/fhir/Patient/:id', ({ request }) =>
          HttpResponse.json(
            {
              resourceType: 'OperationOutcome',
              issue: [
                {
                  severity: 'error',
                  code: 'x',
                  diagnostics: `secret=${SECRET} auth=${request.headers.get('authorization')}`,
                },
              ],
            },
            { status: 500, headers: { 'x-secret': SECRET } },
          ),
        ),
      ],
    });
    const run = await runCli(
      [
        ...runArgs(partner.baseUrl),
        '--rotated-secret-env',
        'ROTATED_SECRET',
        '--timeout',
        '3000',
        '--samples',
        '2',
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: SECRET, ROTATED_SECRET: ROTATED },
    );
    expect(run.report, run.stderr).toBeDefined();
    expect([0, 1]).toContain(run.code);
    // The partner did issue the known tokens, so the scan below looks for strings that were really used.
    expect(
      partner.requests.some((r) => r.headers.get('authorization') === `Bearer ${TOKENS[TENANT_A]}`),
    ).toBe(true);
    expectNoSecrets(run.everything());
  }, 120_000);

  it('checks that throw or fail with credentials in their messages, subjects and notes', async () => {
    partner = await startMiniPartner();
    const leaky: Check[] = [
      ...metadataChecks,
      defineCheck({
        id: 'test-throws-with-secret',
        requirement: 'AUTH-11',
        uses: { tokenUrl },
        async run(ctx, { tokenUrl }) {
          const token = await tokensAt(ctx, tokenUrl).get(TENANT_A);
          throw new Error(`boom: secret ${ctx.options.clientSecret} token ${token}`);
        },
      }),
      defineCheck({
        id: 'test-fails-with-token',
        requirement: 'ROUTE-01',
        uses: { tokenUrl },
        async run(ctx, { tokenUrl }) {
          const res = await asTenant(ctx, tokensAt(ctx, tokenUrl), TENANT_B, {
            url: fhirUrl(ctx, 'Observation'),
          });
          return [
            fail(`echoed ${res.headers['x-echo-authorization']} rotated ${ROTATED}`, {
              subject: `token ${TOKENS[TENANT_B]}`,
            }),
            fail(`body ${res.text}`, { subject: 'second', evidence: [res.evidence] }),
          ];
        },
      }),
    ];
    const out = mkdtempSync(join(tmpdir(), 'fhir-certify-secrets-'));
    const options = resolveRunOptions(
      {
        baseUrl: partner.baseUrl,
        allowInsecureHttp: true,
        clientId: CLIENT_ID,
        tenant: [TENANT_A, TENANT_B],
        rotatedSecretEnv: 'ROTATED_SECRET',
        out,
      },
      { FHIR_CERTIFY_CLIENT_SECRET: SECRET, ROTATED_SECRET: ROTATED },
    );
    let console = '';
    const result = await certify(options, { write: (t) => void (console += t), isTTY: true }, leaky);
    const files = readdirSync(result.dir).map((f) => readFileSync(join(result.dir, f), 'utf8'));
    const thrown = result.report.checks.find((r) => r.id === 'test-throws-with-secret')!;
    expect(thrown.status).toBe('error');
    expect(thrown.message).toMatch(/boom: secret \*\*\* token tokA-1…\(37 chars, masked\)/);
    expectNoSecrets([console, ...files, JSON.stringify(result.report)].join('\n'));
  });
});
