import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse, delay } from 'msw';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { conformantCapability, fhirMediaType, type Capability } from '../helpers/capability.js';
import { runCli, rowsOf, statusOf } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

const META = [
  'META-01',
  'META-02',
  'META-03',
  'META-04',
  'META-05',
  'META-06',
  'META-07',
  'META-08',
  'META-09',
  'META-10',
];

async function servingCapability(
  body: Capability,
  version: FhirVersion,
  contentType = fhirMediaType[version],
) {
  partner = await startMswPartner([
    http.get('*/fhir/metadata', () => HttpResponse.json(body, { headers: { 'content-type': contentType } })),
  ]);
  return partner;
}

async function certifyMeta(baseUrl: string, extra: string[] = []) {
  return runCli(['run', '--base-url', baseUrl, '--allow-insecure-http', '--only', 'META', ...extra]);
}

describe.each<FhirVersion>(['dstu2', 'stu3'])('META on a conformant %s capability statement', (version) => {
  it('passes every META row and publishes the version and token URL', async () => {
    const p = await servingCapability(conformantCapability(version), version);
    const run = await certifyMeta(p.baseUrl);
    for (const id of META) expect(statusOf(run.report, id), id).toBe('pass');
    expect(run.report!.target.fhirVersion).toBe(version === 'dstu2' ? '1.0.2' : '3.0.1');
    expect(run.report!.target.profile).toBe(`patients-app-${version}`);
    expect(run.report!.target.tokenUrl).toBe('https://auth.example.com/token');
    expect(run.report!.verdict).toBe('pass');
    expectContract(run.report!);
    // The metadata request carried no credentials.
    expect(p.requests[0]!.headers.get('authorization')).toBeNull();
    // A run over http never certifies, whatever passes; and so does a partial run.
    expect(run.report!.certifiable).toBe(false);
    expect(run.report!.notCertifiableReasons.join(' ')).toMatch(/allow-insecure-http/);
    expect(run.code).toBe(0);
  });
});

type Mutation = {
  requirement: string;
  why: string;
  version: FhirVersion;
  mutate: (c: Capability) => void;
  expect: 'fail' | 'warn';
};

const violations: Mutation[] = [
  {
    requirement: 'META-01',
    why: 'resourceType is not a capability statement',
    version: 'stu3',
    mutate: (c) => (c.resourceType = 'Patient'),
    expect: 'fail',
  },
  {
    requirement: 'META-02',
    why: 'fhirVersion 4.0.1 has no profile',
    version: 'stu3',
    mutate: (c) => (c.fhirVersion = '4.0.1'),
    expect: 'fail',
  },
  {
    requirement: 'META-02',
    why: 'fhirVersion is missing',
    version: 'dstu2',
    mutate: (c) => delete c.fhirVersion,
    expect: 'fail',
  },
  {
    requirement: 'META-02',
    why: 'a 3.0.1 statement sent as a DSTU2 Conformance',
    version: 'dstu2',
    mutate: (c) => (c.fhirVersion = '3.0.1'),
    expect: 'fail',
  },
  {
    requirement: 'META-03',
    why: 'the only rest entry is a client',
    version: 'stu3',
    mutate: (c) => (c.rest[0].mode = 'client'),
    expect: 'fail',
  },
  {
    requirement: 'META-04',
    why: 'no oauth-uris extension',
    version: 'dstu2',
    mutate: (c) => (c.rest[0].security.extension = []),
    expect: 'fail',
  },
  {
    requirement: 'META-04',
    why: 'a relative token URL',
    version: 'stu3',
    mutate: (c) => (c.rest[0].security.extension[0].extension[0].valueUri = '/oauth/token'),
    expect: 'fail',
  },
  {
    requirement: 'META-04',
    why: 'no token sub-extension',
    version: 'stu3',
    mutate: (c) => c.rest[0].security.extension[0].extension.shift(),
    expect: 'fail',
  },
  {
    requirement: 'META-05',
    why: 'no security.service',
    version: 'stu3',
    mutate: (c) => delete c.rest[0].security.service,
    expect: 'warn',
  },
  {
    requirement: 'META-06',
    why: 'Patient without search-type',
    version: 'dstu2',
    mutate: (c) => (c.rest[0].resource[0].interaction = [{ code: 'read' }]),
    expect: 'fail',
  },
  {
    requirement: 'META-06',
    why: 'no Patient',
    version: 'stu3',
    mutate: (c) => c.rest[0].resource.shift(),
    expect: 'fail',
  },
  {
    requirement: 'META-07',
    why: 'Coverage not listed',
    version: 'stu3',
    mutate: (c) => (c.rest[0].resource = c.rest[0].resource.filter((r: Capability) => r.type !== 'Coverage')),
    expect: 'warn',
  },
  {
    requirement: 'META-08',
    why: 'STU3 without the batch interaction',
    version: 'stu3',
    mutate: (c) => delete c.rest[0].interaction,
    expect: 'fail',
  },
  {
    requirement: 'META-08',
    why: 'DSTU2 transactionMode not-supported',
    version: 'dstu2',
    mutate: (c) => (c.rest[0].transactionMode = 'not-supported'),
    expect: 'fail',
  },
  {
    requirement: 'META-09',
    why: 'Patient does not declare birthdate',
    version: 'dstu2',
    mutate: (c) =>
      (c.rest[0].resource[0].searchParam = c.rest[0].resource[0].searchParam.filter(
        (p: Capability) => p.name !== 'birthdate',
      )),
    expect: 'warn',
  },
  {
    requirement: 'META-10',
    why: 'format lists only xml',
    version: 'stu3',
    mutate: (c) => (c.format = ['xml']),
    expect: 'warn',
  },
];

describe('each META requirement fails when a partner violates it', () => {
  it.each(violations)('$requirement: $why', async ({ requirement, version, mutate, expect: expected }) => {
    const capability = conformantCapability(version);
    mutate(capability);
    const p = await servingCapability(capability, version);
    const run = await certifyMeta(p.baseUrl);
    expect(statusOf(run.report, requirement)).toBe(expected);
    const row = rowsOf(run.report, requirement).find((r) => r.status === expected)!;
    expect(row.message.length).toBeGreaterThan(10);
    expect(row.evidence.length).toBeGreaterThan(0);
    expect(run.code).toBe(expected === 'fail' ? 1 : 0);
  });

  it('META-10: metadata served as plain application/json is a warning', async () => {
    const p = await servingCapability(conformantCapability('stu3'), 'stu3', 'application/json');
    const run = await certifyMeta(p.baseUrl);
    expect(statusOf(run.report, 'META-10')).toBe('warn');
    expect(rowsOf(run.report, 'META-10')[0]!.message).toMatch(/application\/json/);
  });

  it('META-01: metadata that demands a token fails, and the rows that need it are skipped', async () => {
    partner = await startMswPartner([
      http.get('*/fhir/metadata', () =>
        HttpResponse.json({ resourceType: 'OperationOutcome' }, { status: 401 }),
      ),
    ]);
    const run = await certifyMeta(partner.baseUrl);
    expect(statusOf(run.report, 'META-01')).toBe('fail');
    expect(rowsOf(run.report, 'META-01')[0]!.message).toMatch(/401/);
    expect(statusOf(run.report, 'META-04')).toBe('skip');
    expect(rowsOf(run.report, 'META-04')[0]!.message).toMatch(/prerequisite META-03/);
  });

  it('a forced --fhir-version certifies that version even when the partner declares the other', async () => {
    const p = await servingCapability(conformantCapability('stu3'), 'stu3');
    const run = await certifyMeta(p.baseUrl, ['--fhir-version', 'dstu2']);
    expect(run.report!.target.profile).toBe('patients-app-dstu2');
    expect(rowsOf(run.report, 'META-02')[0]!.message).toMatch(/told to certify DSTU2/);
  });
});

describe('a broken metadata endpoint is a failed META-01 with evidence, never a crash', () => {
  const cases: Array<{
    name: string;
    handler: Parameters<typeof http.get>[1];
    expectMessage: RegExp;
    extra?: string[];
  }> = [
    {
      name: 'invalid JSON',
      handler: () =>
        new HttpResponse('{"resourceType": "Capab', { headers: { 'content-type': 'application/fhir+json' } }),
      expectMessage: /not valid JSON/,
    },
    {
      name: 'an HTML page',
      handler: () =>
        new HttpResponse('<html><body>Welcome</body></html>', { headers: { 'content-type': 'text/html' } }),
      expectMessage: /HTML/,
    },
    { name: 'HTTP 500', handler: () => new HttpResponse('oops', { status: 500 }), expectMessage: /HTTP 500/ },
    { name: 'HTTP 401', handler: () => new HttpResponse(null, { status: 401 }), expectMessage: /401/ },
    { name: 'a connection reset', handler: () => HttpResponse.error(), expectMessage: /reset|closed/ },
    {
      name: 'a hang past the timeout',
      handler: async () => {
        await delay('infinite');
        return new HttpResponse(null);
      },
      expectMessage: /timeout|within/,
      extra: ['--timeout', '300'],
    },
  ];
  it.each(cases)('$name', async ({ handler, expectMessage, extra }) => {
    partner = await startMswPartner([http.get('*/fhir/metadata', handler)]);
    const run = await certifyMeta(partner.baseUrl, extra);
    expect(run.code).toBe(1);
    expectContract(run.report!);
    const row = rowsOf(run.report, 'META-01')[0]!;
    expect(row.status).toBe('fail');
    expect(row.message).toMatch(expectMessage);
    expect(row.evidence).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });
});
