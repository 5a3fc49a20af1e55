/**
 * Runs data checks through the real engine against an msw partner, with the prerequisites they
 * build on (version, profile, capability, probe patients, tokens) set by stand-in checks, so an
 * edge case needs only the FHIR answers it is about.
 */
import type { TokenProvider } from '../../src/auth/token-client.js';
import { defineCheck, pass, type Check } from '../../src/engine/check.js';
import { fhirVersion, probes, profile, restServer, tokens } from '../../src/partner/facts.js';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import type { Json } from '../../src/core/json.js';
import { loadProfile } from '../../src/profile/load.js';
import { conformantCapability } from '../helpers/capability.js';
import { runTestChecks } from '../helpers/engine.js';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const TOKEN = 'test-token-abcdefghijklmnopqrstuvwxyz';

export interface SetupOptions {
  version: FhirVersion;
  probe: Json & { id: string };
  /** Changes to the conformant capability statement. */
  capability?: (c: Json & { rest: Array<Json & { resource: Json[] }> }) => void;
  profile?: string;
}

function standIns(options: SetupOptions): Check[] {
  return [
    defineCheck({
      id: 'meta-02-fhir-version',
      requirement: 'META-02',
      provides: [fhirVersion, profile],
      async run(ctx) {
        ctx.provide(fhirVersion, { version: options.version, declared: undefined });
        ctx.provide(profile, loadProfile(options.profile ?? `patients-app-${options.version}`));
        return pass('set');
      },
    }),
    defineCheck({
      id: 'meta-03-rest-server',
      requirement: 'META-03',
      provides: [restServer],
      async run(ctx) {
        const capability = conformantCapability(options.version) as Json & {
          rest: Array<Json & { resource: Json[] }>;
        };
        options.capability?.(capability);
        ctx.provide(restServer, capability.rest[0]!);
        return pass('set');
      },
    }),
    defineCheck({
      id: 'route-01-tenant-data',
      requirement: 'ROUTE-01',
      provides: [tokens, probes],
      async run(ctx) {
        const provider = {
          fresh: () => TOKEN,
          get: async () => TOKEN,
          invalidate: () => undefined,
        } as unknown as TokenProvider;
        ctx.provide(tokens, provider);
        ctx.provide(
          probes,
          new Map([
            [
              TENANT,
              { tenant: TENANT, id: options.probe.id, patient: options.probe, source: 'discovered' as const },
            ],
          ]),
        );
        return pass('set');
      },
    }),
  ];
}

export async function runDataChecks(baseUrl: string, checks: Check[], options: SetupOptions, maxPages = 20) {
  const result = await runTestChecks([...standIns(options), ...checks], {
    baseUrl,
    tenants: [TENANT],
    maxPages,
  });
  return result.rows.filter((r) => !['META-02', 'META-03', 'ROUTE-01'].includes(r.requirement));
}
