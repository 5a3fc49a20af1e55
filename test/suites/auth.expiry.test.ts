/**
 * Tokens that live 3 s and a run that works far longer: not one request the harness meant to be
 * authorized may get a 401 (judged on the partner's side of the wire, through a recording proxy), and no
 * issued token or secret may appear in anything the run wrote.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { asTenant, fhirUrl } from '../../src/auth/session.js';
import { certify } from '../../src/certify.js';
import { resolveRunOptions } from '../../src/config/resolve.js';
import { defineCheck, fail, pass } from '../../src/engine/check.js';
import { probes, tokens } from '../../src/partner/facts.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { allChecks } from '../../suites/index.js';
import { rowsOf, statusOf, type CliRun } from '../helpers/cli.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { certifyReference, expectNoCredentials, VERSIONS } from './security-run.js';

const TTL_S = 3;

/** Requests whose token was issued by the partner, names a known tenant and had not expired on arrival. */
function authorizedRequests(proxy: RecordingProxy, tenants: string[]) {
  const issued = new Set(proxy.issued);
  return proxy.requests.filter((r) => {
    if (!r.bearer || !issued.has(r.bearer) || r.path.includes('/oauth/')) return false;
    const claims = decodeJwt(r.bearer);
    return tenants.includes(String(claims.tid)) && r.at < Number(claims.exp) * 1000;
  });
}

async function withProxiedPartner<T>(
  use: (partner: ReferencePartner, proxy: RecordingProxy) => Promise<T>,
): Promise<T> {
  const partner = await startReferencePartner({ tokenTtlSeconds: TTL_S });
  const proxy = await startRecordingProxy(partner.origin);
  try {
    return await use(partner, proxy);
  } finally {
    await proxy.close();
    await partner.close();
  }
}

describe('3-second tokens over a long AUTH + ROUTE run', () => {
  it.concurrent.each(VERSIONS)(
    '%s: AUTH-09 waits a token out, and no request the harness meant to authorize gets 401',
    async (version) => {
      await withProxiedPartner(async (partner, proxy) => {
        const { clientSecret: secret, tenants } = partner;
        const started = Date.now();
        const run: CliRun = await certifyReference({
          partner,
          version,
          baseUrl: `${proxy.origin}/${version}`,
          only: 'AUTH,ROUTE',
          extra: ['--max-expiry-wait', '10'],
        });
        expect(Date.now() - started).toBeGreaterThan(TTL_S * 1000);
        expect(statusOf(run.report, 'AUTH-09'), rowsOf(run.report, 'AUTH-09')[0]?.message).toBe('pass');
        for (const id of ['AUTH-01', 'AUTH-08', 'ROUTE-01', 'ROUTE-02', 'ROUTE-03']) {
          const messages = rowsOf(run.report, id).map((r) => `${r.subject ?? ''} ${r.message}`);
          expect(statusOf(run.report, id), `${id}: ${messages.join(' | ')}`).toBe('pass');
        }
        const authorized = authorizedRequests(proxy, tenants);
        expect(authorized.length).toBeGreaterThan(30);
        expect(authorized.filter((r) => r.status === 401).map((r) => r.path)).toEqual([]);
        // The only 401s to issued tokens are AUTH-09's deliberate use of an expired one.
        const expiredUse = proxy.requests.filter(
          (r) => r.status === 401 && r.bearer && proxy.issued.includes(r.bearer),
        );
        expect(expiredUse).toHaveLength(1);
        expectNoCredentials(run, [secret], proxy.issued);
      });
    },
  );
});

describe('3-second tokens under ~8 s of continuous data requests', () => {
  it('the shared token provider renews in time: every request is answered 2xx', async () => {
    await withProxiedPartner(async (partner, proxy) => {
      const { clientSecret: secret, tenants, clientId } = partner;
      const loop = defineCheck({
        id: 'test-token-renewal-loop',
        requirement: 'ROUTE-01',
        // The run's own provider, the one the data checks share.
        uses: { tokens, probes },
        async run(ctx, { tokens }) {
          const until = Date.now() + 8000;
          const statuses: number[] = [];
          for (let i = 0; Date.now() < until; i++) {
            const tenant = tenants[i % 2]!;
            const res = await asTenant(ctx, tokens, tenant, {
              url: fhirUrl(ctx, 'Patient?_count=1'),
              quiet: true,
            });
            statuses.push(res.status);
            await new Promise((r) => setTimeout(r, 50));
          }
          const bad = statuses.filter((s) => s < 200 || s >= 300);
          return bad.length
            ? fail(`${bad.length} of ${statuses.length} answers were not 2xx`)
            : pass(`${statuses.length} answers, all 2xx`);
        },
      });
      const out = mkdtempSync(join(tmpdir(), 'fhir-certify-renewal-'));
      const env = { FHIR_CERTIFY_CLIENT_SECRET: secret };
      const options = resolveRunOptions(
        {
          baseUrl: `${proxy.origin}/stu3`,
          clientId,
          tenant: tenants,
          allowInsecureHttp: true,
          only: 'ROUTE-01',
          out,
          format: ['json', 'md'],
        },
        env,
      );
      let console = '';
      const result = await certify(options, { write: (t) => void (console += t), isTTY: false }, [
        ...allChecks,
        loop,
      ]);
      const loopRow = result.report.checks.find((c) => c.id === 'test-token-renewal-loop');
      expect(loopRow?.status, loopRow?.message).toBe('pass');
      expect(rowsOf(result.report, 'ROUTE-01').every((r) => r.status === 'pass')).toBe(true);
      const authorized = authorizedRequests(proxy, tenants);
      expect(authorized.length).toBeGreaterThan(40);
      expect(proxy.requests.filter((r) => r.status === 401)).toEqual([]);
      expect(proxy.issued.length).toBeGreaterThan(2);
      const written = readdirSync(result.dir).map((f) => readFileSync(join(result.dir, f), 'utf8'));
      const run = { everything: () => [console, ...written].join('\n') } as CliRun;
      expectNoCredentials(run, [secret], proxy.issued);
    });
  });
});
