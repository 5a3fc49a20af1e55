/**
 * A full certification run (every requirement) of the embedded reference partner, in-process through
 * the CLI's own `run`, kept short: few latency samples and users, default token lifetime (AUTH-09 and
 * AUTH-10 stay manual). The unusual-partner test and the determinism benchmark share it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/program.js';
import type { FhirVersion, ReferencePartnerOptions } from '../../src/reference-partner/index.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import type { Report } from '../../src/core/model.js';

export interface FullRun {
  code: number;
  stderr: string;
  report: Report;
}

export async function fullRun(
  version: FhirVersion,
  partnerOptions: ReferencePartnerOptions = {},
  extra: string[] = [],
): Promise<FullRun> {
  const partner = await startReferencePartner(partnerOptions);
  const out = mkdtempSync(join(tmpdir(), 'fhir-certify-full-'));
  try {
    let stderr = '';
    const code = await main(
      [
        'run',
        '--base-url',
        partner.baseUrl(version),
        '--allow-insecure-http',
        '--client-id',
        partner.clientId,
        '--tenant',
        partner.tenants[0],
        '--tenant',
        partner.tenants[1],
        '--samples',
        '3',
        '--concurrency',
        '2',
        '--format',
        'json',
        '--quiet',
        '--out',
        out,
        ...extra,
      ],
      {
        stdout: () => undefined,
        stderr: (t) => void (stderr += t),
        env: { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret },
        isTTY: false,
      },
    );
    const dirs = readdirSync(out);
    if (dirs.length !== 1) throw new Error(`no report (exit ${code}): ${stderr}`);
    const report = JSON.parse(readFileSync(join(out, dirs[0]!, 'report.json'), 'utf8')) as Report;
    return { code, stderr, report };
  } finally {
    await partner.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** The rows that are not a clean pass, as `ID status: message`, for assertions that say what went wrong. */
export function unclean(report: Report, allowed: readonly string[] = []): string[] {
  return report.checks
    .filter((c) => ['fail', 'error', 'warn'].includes(c.status) && !allowed.includes(c.requirement))
    .map((c) => `${c.requirement} ${c.status}: ${c.message}`);
}
