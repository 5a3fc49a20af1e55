/**
 * Stand-ins for the checks LAT requires (AUTH-01's token, ROUTE-01's probe patients), built on the
 * same core functions the real checks use, so the LAT suite can be tested through the real engine
 * without depending on the auth and routing suites' own verdicts.
 */
import { makeTokenProvider } from '../../src/auth/session.js';
import { workingSecret } from '../../src/auth/secret.js';
import { defineCheck, fail, pass } from '../../src/engine/check.js';
import { batchJudged, probes, tokens, tokenUrl } from '../../src/partner/facts.js';
import { findProbe, type Probe } from '../../src/partner/probe.js';
import { metadataChecks } from '../../suites/metadata.js';

export const prerequisiteStandIns = [
  ...metadataChecks,
  defineCheck({
    id: 'auth-01-token',
    requirement: 'AUTH-01',
    uses: { tokenUrl },
    provides: [tokens],
    async run(ctx, { tokenUrl }) {
      const provider = makeTokenProvider(ctx, tokenUrl, await workingSecret(ctx, tokenUrl));
      await provider.get(ctx.options.tenants[0]!);
      ctx.provide(tokens, provider);
      return pass('token issued');
    },
  }),
  defineCheck({
    id: 'route-01-tenant-data',
    requirement: 'ROUTE-01',
    uses: { tokens },
    provides: [probes],
    async run(ctx, { tokens }) {
      const found = new Map<string, Probe>();
      for (const tenant of ctx.options.tenants) {
        const probe = await findProbe(ctx, tokens, tenant);
        if (!probe.ok) return fail(probe.reason);
        found.set(tenant, probe.probe);
      }
      ctx.provide(probes, found);
      return pass(`${found.size} probe patients`);
    },
  }),
  defineCheck({
    id: 'batch-1-batch',
    requirement: 'BATCH-1',
    provides: [batchJudged],
    async run(ctx) {
      ctx.provide(batchJudged, true);
      return pass('assumed');
    },
  }),
];
