/** Runs the RES/SRCH/BATCH suites against the embedded reference partner, with or without faults. */
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import type { Report } from '../../src/core/model.js';
import { runCli } from '../helpers/cli.js';

export interface DataRun {
  code: number;
  stderr: string;
  report: Report;
}

/** `only` is the --only list, e.g. `RES,SRCH,BATCH` or one requirement ID. */
export async function certifyReference(
  version: FhirVersion,
  only: string,
  faults: string[] = [],
  extra: string[] = [],
): Promise<DataRun> {
  const partner = await startReferencePartner({ faults });
  try {
    const run = await runCli(
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
        '--only',
        only,
        '--format',
        'json',
        ...extra,
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret },
    );
    if (!run.report) throw new Error(`no report (exit ${run.code}): ${run.stderr}`);
    return { code: run.code, stderr: run.stderr, report: run.report };
  } finally {
    await partner.close();
  }
}

/** The faults of a family that a version can show (SRCH-PAT-6 is an STU3 search). */
export function faultCases(requirementIds: string[]): Array<{ fault: string; version: FhirVersion }> {
  const versions: FhirVersion[] = ['dstu2', 'stu3'];
  return requirementIds.flatMap((fault) =>
    versions.filter((v) => !(fault === 'SRCH-PAT-6' && v === 'dstu2')).map((version) => ({ fault, version })),
  );
}
