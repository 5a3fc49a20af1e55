/**
 * Stand-ins for the checks LAT requires (AUTH-01's token, ROUTE-01's probe patients), built on the
 * same core functions the real checks use, so the LAT suite can be tested through the real engine
 * without depending on the auth and routing suites' own verdicts.
 */
import { tokenProvider } from '../../src/auth/session.js';
import { defineChecks, fail, pass } from '../../src/engine/check.js';
import { findProbe, type Probe } from '../../src/partner/probe.js';
import { metadataChecks } from '../../suites/metadata.js';

export const prerequisiteStandIns = defineChecks([
  ...metadataChecks,
  {
    id: 'auth-01-token',
    requirement: 'AUTH-01',
    title: 'stand-in: a token for the first tenant',
    async run(ctx) {
      await (await tokenProvider(ctx)).get(ctx.options.tenants[0]!);
      return pass('token issued');
    },
  },
  {
    id: 'route-01-tenant-data',
    requirement: 'ROUTE-01',
    title: 'stand-in: a probe patient per tenant',
    async run(ctx) {
      const probes = new Map<string, Probe>();
      for (const tenant of ctx.options.tenants) {
        const found = await findProbe(ctx, tenant);
        if (!found.ok) return fail(found.reason);
        probes.set(tenant, found.probe);
      }
      ctx.state.probes = probes;
      return pass(`${probes.size} probe patients`);
    },
  },
  {
    id: 'batch-1-batch',
    requirement: 'BATCH-1',
    title: 'stand-in: batch works (LAT-05 measures it)',
    run: async () => pass('assumed'),
  },
]);
