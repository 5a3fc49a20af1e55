/**
 * ROUTE-01: a token for each configured tenant reaches that tenant's data. Finding a patient there is
 * also how the run learns its probe patients, the fact the RES, SRCH, BATCH and LAT checks are judged on.
 */
import { defineCheck, fail, pass, type Outcome } from '../../src/engine/check.js';
import { probes as probePatients, tokens } from '../../src/partner/facts.js';
import { findProbe, type Probe } from '../../src/partner/probe.js';

export const tenantData = [
  defineCheck({
    id: 'route-01-tenant-data',
    requirement: 'ROUTE-01',
    uses: { tokens },
    provides: [probePatients],
    async run(ctx, { tokens }) {
      const probes = new Map<string, Probe>();
      ctx.provide(probePatients, probes);
      const outcomes: Outcome[] = [];
      for (const tenant of ctx.options.tenants) {
        const subject = `tenant ${tenant}`;
        let found: Awaited<ReturnType<typeof findProbe>>;
        try {
          found = await findProbe(ctx, tokens, tenant);
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
  }),
];
