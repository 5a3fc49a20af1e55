/** Shared by the AUTH, ROUTE and SEC tests: certify the reference partner, and prove no credential leaked. */
import { expect } from 'vitest';
import type { ReferencePartner } from '../../src/reference-partner/index.js';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { runCli, type CliRun } from '../helpers/cli.js';

export const VERSIONS: FhirVersion[] = ['dstu2', 'stu3'];

/** A whole compact JWS: no report may hold one (the reference partner's tokens are all JWTs). */
const WHOLE_JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;

export interface ReferenceRun {
  partner: ReferencePartner;
  version: FhirVersion;
  only?: string;
  extra?: string[];
  env?: NodeJS.ProcessEnv;
  /** Default: both tenants. */
  tenants?: string[];
  baseUrl?: string;
}

export async function certifyReference(r: ReferenceRun): Promise<CliRun> {
  const tenants = (r.tenants ?? r.partner.tenants).flatMap((t) => ['--tenant', t]);
  const baseUrl = r.baseUrl ?? r.partner.baseUrl(r.version);
  return runCli(
    [
      'run',
      '--base-url',
      baseUrl,
      ...(baseUrl.startsWith('http:') ? ['--allow-insecure-http'] : []),
      '--client-id',
      r.partner.clientId,
      ...tenants,
      ...(r.only ? ['--only', r.only] : []),
      ...(r.extra ?? []),
    ],
    { FHIR_CERTIFY_CLIENT_SECRET: r.partner.clientSecret, ...r.env },
  );
}

/** No secret, no listed token and no whole JWT anywhere in what the run printed or wrote. */
export function expectNoCredentials(run: CliRun, secrets: string[], tokens: string[] = []): void {
  const all = run.everything();
  expect(all.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(all.includes(secret), 'a client secret leaked').toBe(false);
  for (const token of tokens) expect(all.includes(token), 'an access token leaked').toBe(false);
  expect(WHOLE_JWT.exec(all)?.[0], 'a whole JWT leaked').toBeUndefined();
}

export function rowIds(run: CliRun, requirement: string): string[] {
  return (run.report?.checks ?? [])
    .filter((c) => c.requirement === requirement)
    .map((c) => `${c.id}=${c.status}`);
}
