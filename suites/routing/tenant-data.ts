/**
 * ROUTE-01: a token for each configured tenant reaches that tenant's data. Finding a patient there is
 * also how the run learns its probe patients (`ctx.state.probes`), which the RES, SRCH and BATCH suites
 * build on: they require this check's id, `route-01-tenant-data`.
 */
import { defineChecks, fail, pass, type Outcome } from '../../src/engine/check.js';
import { findProbe } from '../../src/partner/probe.js';
import { tokenProvider } from '../../src/auth/session.js';

export const tenantData = defineChecks([
  {
    id: 'route-01-tenant-data',
    requirement: 'ROUTE-01',
    title: "a token for a configured tenant reaches that tenant's data",
    requires: ['auth-01-token'],
    async run(ctx) {
      await tokenProvider(ctx);
      const probes = (ctx.state.probes ??= new Map());
      const outcomes: Outcome[] = [];
      for (const tenant of ctx.options.tenants) {
        const subject = `tenant ${tenant}`;
        let found: Awaited<ReturnType<typeof findProbe>>;
        try {
          found = await findProbe(ctx, tenant);
        } catch (err) {
          outcomes.push(
            fail(`no token for tenant ${tenant}: ${(err as Error).message}`, { subject, evidence: [] }),
          );
          continue;
        }
        const evidence = found.exchange ? [found.exchange.evidence] : [];
        if (!found.ok) {
          outcomes.push(
            fail(`the tenant's token reached no patient: ${found.reason}`, { subject, evidence }),
          );
          continue;
        }
        probes.set(tenant, found.probe);
        outcomes.push(
          pass(
            `the tenant's token reaches its data: ${found.probe.source === 'configured' ? 'the configured probe' : 'a search found'} Patient/${found.probe.id}`,
            { subject, evidence },
          ),
        );
      }
      if (outcomes.length === 0) return fail('no tenant is configured (--tenant)');
      return outcomes;
    },
  },
]);
