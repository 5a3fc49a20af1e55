/**
 * Profiles are data a partner or reviewer can edit: the built-in ones are sound, a custom one given
 * with --profile drives the run, and a broken one (schema, FHIRPath, placeholder, batch reference) is
 * exit 2 naming the file, the JSON path and the reason.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import { hasValue } from '../../src/fhir/fhirpath.js';
import { profilesDir } from '../../src/core/paths.js';
import { loadProfile } from '../../src/profile/load.js';
import type { Profile } from '../../src/profile/model.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import { runCli, rowsOf } from '../helpers/cli.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const base = ['run', '--base-url', 'https://ehr.example.com/fhir', '--client-id', 'app', '--tenant', TENANT];
const env = { FHIR_CERTIFY_CLIENT_SECRET: 's3cr3t-value' };

function builtIn(version: 'dstu2' | 'stu3'): Profile {
  return JSON.parse(readFileSync(join(profilesDir, `patients-app-${version}.json`), 'utf8')) as Profile;
}

function write(profile: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fhir-certify-profile-')), 'profile.json');
  writeFileSync(path, JSON.stringify(profile, null, 2));
  return path;
}

describe('the built-in profiles', () => {
  it.each(['dstu2', 'stu3'] as const)(
    '%s covers every RES field requirement, every SRCH requirement and the batch',
    (version) => {
      const profile = loadProfile(`patients-app-${version}`);
      const fieldIds = new Set(profile.resources.flatMap((r) => (r.fields ?? []).map((g) => g.requirement)));
      const searchIds = new Set((profile.searches ?? []).map((q) => q.requirement));
      for (const r of requirements.values()) {
        if (r.family === 'RES' && !['RES-LOC-1', 'RES-VAL-1', 'RES-READ-1'].includes(r.id))
          expect(fieldIds, r.id).toContain(r.id);
        if (r.family === 'SRCH' && !(r.id === 'SRCH-PAT-6' && version === 'dstu2'))
          expect(searchIds, r.id).toContain(r.id);
      }
      expect(profile.batch?.entries[0]).toEqual({ read: 'Patient/{probe.id}' });
      expect(profile.budgets.search).toBe(1000);
    },
  );

  it('uses the version-specific query forms of the SRCH table', () => {
    const d2 = loadProfile('patients-app-dstu2').searches!;
    const s3 = loadProfile('patients-app-stu3').searches!;
    expect(d2.find((q) => q.id === 'family')).toMatchObject({
      method: 'POST',
      path: 'Patient/_search',
      params: { 'family:contains': '{probe.familyPrefix}' },
    });
    expect(s3.find((q) => q.id === 'family')!.params).toEqual({ family: '{probe.familyPrefix}' });
    expect(d2.find((q) => q.id === 'vital-signs')!.params).toMatchObject({
      '_sort:desc': 'date',
      category: 'vital-signs',
    });
    expect(s3.find((q) => q.id === 'vital-signs')!.params).toMatchObject({ _sort: '-date' });
    expect(d2.some((q) => q.path === 'MedicationOrder')).toBe(true);
    expect(s3.some((q) => q.path === 'MedicationRequest')).toBe(true);
  });

  it('its field expressions find the fields on real example resources (and miss them when absent)', () => {
    const stu3 = loadProfile('patients-app-stu3');
    const pat = stu3.resources.find((r) => r.type === 'Patient')!.fields![0]!.fields;
    const patient = {
      resourceType: 'Patient',
      name: [{ family: 'Chalmers', given: ['Peter'] }],
      gender: 'male',
      birthDate: '1974-12-25',
      identifier: [
        { type: { coding: [{ system: 'http://hl7.org/fhir/v2/0203', code: 'MR' }] }, value: '12345' },
      ],
    };
    for (const f of pat) expect(hasValue(patient, f.path, 'stu3'), f.label).toBe(true);
    const mrn = pat.find((f) => f.label.includes('MR'))!;
    expect(hasValue({ ...patient, identifier: [{ value: '12345' }] }, mrn.path, 'stu3')).toBe(false);
    // effective[x] is named by its base name: the model knows the choice.
    const effective = stu3.resources.find((r) => r.type === 'Observation')!.fields![0]!.fields[0]!;
    expect(
      hasValue({ resourceType: 'Observation', effectivePeriod: { start: '2020' } }, effective.path, 'stu3'),
    ).toBe(true);
    expect(hasValue({ resourceType: 'Observation' }, effective.path, 'stu3')).toBe(false);
  });
});

describe('a broken profile is exit 2 naming the file, the JSON path and the reason', () => {
  const cases: Array<[string, (p: Profile) => void, RegExp]> = [
    [
      'an unparsable FHIRPath field',
      (p) => (p.resources[0]!.fields![0]!.fields[0]!.path = "name.where(use = 'official'"),
      /at \/resources\/0\/fields\/0\/fields\/0\/path: FHIRPath expression "name\.where\(use = 'official'" does not parse/,
    ],
    [
      'an unparsable every.path',
      (p) => (p.searches![1]!.expect!.every!.path = 'name..family'),
      /at \/searches\/1\/expect\/every\/path: FHIRPath expression/,
    ],
    [
      'an unknown placeholder',
      (p) => (p.searches![0]!.params = { _id: '{probe.ssn}' }),
      /at \/searches\/0\/params\/_id: unknown placeholder \{probe\.ssn\}/,
    ],
    [
      'a batch entry naming no query',
      (p) => p.batch!.entries.push({ query: 'nope' }),
      /at \/batch\/entries\/\d+\/query: no query in searches has the id "nope"/,
    ],
    [
      'a schema violation in a search',
      (p) => ((p.searches![0] as unknown as Record<string, unknown>).method = 'DELETE'),
      /at \/searches\/0\/method: must be equal to one of the allowed values/,
    ],
    [
      'an unknown requirement ID',
      (p) => (p.resources[0]!.fields![0]!.requirement = 'RES-PAT-9'),
      /at \/resources\/0\/fields\/0\/requirement: RES-PAT-9 is not a requirement ID/,
    ],
  ];
  it.each(cases)('%s', async (_name, breakIt, reason) => {
    const profile = builtIn('stu3');
    breakIt(profile);
    const path = write(profile);
    const run = await runCli([...base, '--profile', path], env, false);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('a custom profile given with --profile drives the run', () => {
  it('runs its own queries against the partner', async () => {
    const profile = builtIn('stu3');
    profile.name = 'custom-stu3';
    profile.searches!.push({
      id: 'family-exact',
      requirement: 'SRCH-PAT-2',
      method: 'GET',
      path: 'Patient',
      params: { 'family:exact': '{probe.family}' },
      resultType: 'Patient',
      expect: { probe: 'only', every: { path: 'name.family', equals: '{probe.family}' } },
    });
    const path = write(profile);
    const partner = await startReferencePartner();
    try {
      const run = await runCli(
        [
          'run',
          '--base-url',
          partner.baseUrl('stu3'),
          '--allow-insecure-http',
          '--client-id',
          partner.clientId,
          '--tenant',
          partner.tenants[0],
          '--only',
          'SRCH-PAT-2',
          '--format',
          'json',
          '--profile',
          path,
        ],
        { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret },
      );
      expect(run.report!.target.profile).toBe('custom-stu3');
      const rows = rowsOf(run.report, 'SRCH-PAT-2');
      expect(rows.map((r) => r.id)).toEqual([
        `srch-pat-2-family#family @ tenant ${partner.tenants[0]}`,
        `srch-pat-2-family#family-exact @ tenant ${partner.tenants[0]}`,
      ]);
      const exact = rows[1]!;
      expect(exact.status, exact.message).toBe('pass');
      expect(exact.message).toMatch(
        /^GET Patient\?family:exact=\S+: 1 match\(es\), total 1; exactly Patient\//,
      );
    } finally {
      await partner.close();
    }
  });
});
