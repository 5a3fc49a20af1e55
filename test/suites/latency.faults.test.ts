/**
 * Each reference-partner LAT fault fails its own row and only it: the other LAT rows pass, and LAT-06
 * does not judge again, under load, an interaction that already failed alone (its class row is `na`).
 * LAT-04 runs through the engine with stand-in prerequisites: through the CLI, the SRCH and BATCH
 * prerequisites would each wait out the 1.5 s delay of every search as well.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import type { CheckRow } from '../../src/core/model.js';
import { INTERACTIONS, type Interaction } from '../../src/reference-partner/faults/hooks.js';
import { FAULTS } from '../../src/reference-partner/faults/index.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { latencyChecks } from '../../suites/latency.js';
import { runCli } from '../helpers/cli.js';
import { runTestChecks } from '../helpers/engine.js';
import { prerequisiteStandIns } from '../latency/prereqs.js';
import { expectEveryRequirementFaulted, faultsOf } from './family-faults.js';

let partner: ReferencePartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

/** The LAT-06 class a fault slows, read from its own delay hook. */
function classOf(fault: string): Interaction | undefined {
  const delay = FAULTS.find((f) => f.name === fault)?.request?.delayMs;
  return INTERACTIONS.find((i) => (delay?.(i) ?? 0) > 0);
}

/** The concurrency requirement: its fault refuses overlapping requests instead of slowing a class. */
const CONCURRENCY = 'LAT-06';
/** Run through the engine with stand-in prerequisites (see the file's comment). */
const OWN_TESTS = new Set(['LAT-04']);

describe('the LAT fault tests', () => {
  it('cover every LAT requirement of the catalogue, each with a fault', () => {
    expectEveryRequirementFaulted('LAT');
    // Each fault slows one interaction class, or is the concurrency fault, which the tests below tell apart.
    const unknown = faultsOf('LAT').filter((f) => f.name !== CONCURRENCY && !classOf(f.name));
    expect(unknown.map((f) => f.name)).toEqual([]);
  });
});

function expectOnlyItsRow(rows: CheckRow[], fault: string): void {
  const lat = rows.filter((r) => r.requirement.startsWith('LAT-'));
  const own = lat.filter((r) => r.requirement === fault);
  expect(own.length).toBeGreaterThan(0);
  for (const row of own) {
    // LAT-06 (recommended: a warning) breaks data requests under load; metadata and tokens stay fine.
    const expected =
      fault !== CONCURRENCY ? 'fail' : ['metadata', 'token'].includes(row.subject!) ? 'pass' : 'warn';
    expect(row.status, `${row.id}: ${row.message}`).toBe(expected);
  }
  for (const row of lat.filter((r) => r.requirement !== fault)) {
    const notJudgedAgain = row.requirement === CONCURRENCY && row.subject === classOf(fault);
    expect(row.status, `${row.id}: ${row.message}`).toBe(notJudgedAgain ? 'na' : 'pass');
  }
}

/** One version per fault, alternating, to keep the slow runs few. */
const cases = faultsOf('LAT')
  .filter((f) => !OWN_TESTS.has(f.name))
  .map((f, i): { fault: string; version: FhirVersion } => ({
    fault: f.name,
    version: i % 2 === 0 ? 'dstu2' : 'stu3',
  }));

describe.each(cases)('the reference partner with fault $fault ($version)', ({ fault, version }) => {
  it(`fails ${fault} and no other LAT row`, async () => {
    partner = await startReferencePartner({ faults: [fault] });
    const run = await runCli(
      [
        'run',
        ...['--base-url', partner.baseUrl(version), '--allow-insecure-http', '--client-id', partner.clientId],
        ...[
          '--tenant',
          partner.tenants[0],
          '--tenant',
          partner.tenants[1],
          '--only',
          'LAT',
          '--samples',
          '3',
        ],
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret },
    );
    expectOnlyItsRow(run.report!.checks, fault);
    if (fault === CONCURRENCY) {
      const read = run.report!.latency.find(
        (l) => l.requirement === fault && l.interaction.startsWith('read'),
      )!;
      expect(read.status).toBe('warn');
      expect(read.errors as number).toBeGreaterThan(0);
      expect(run.report!.checks.find((r) => r.id === 'lat-06-concurrency#read')!.message).toMatch(/HTTP 503/);
    } else {
      const row = run.report!.latency.find((l) => l.requirement === fault)!;
      expect(row.status).toBe('fail');
      expect(row.p95).toBeGreaterThan(row.budgetP95);
    }
    expect(run.code).toBe(fault === CONCURRENCY ? 0 : 1);
  }, 90_000);
});

describe('the reference partner with fault LAT-04 (slow searches)', () => {
  it('fails every LAT-04 row and no other LAT row', async () => {
    partner = await startReferencePartner({ faults: ['LAT-04'] });
    const run = await runTestChecks([...prerequisiteStandIns, ...latencyChecks], {
      baseUrl: partner.baseUrl('stu3'),
      clientId: partner.clientId,
      clientSecret: partner.clientSecret,
      tenants: partner.tenants,
      samples: 3,
    });
    expectOnlyItsRow(run.rows, 'LAT-04');
    const searches = run.latency.filter((l) => l.requirement === 'LAT-04');
    expect(searches.length).toBeGreaterThan(5);
    // Slow beyond the budget, the verdict is settled after one sample of three.
    for (const l of searches) expect(l).toMatchObject({ status: 'fail', samples: 1, errors: 0 });
    // One sample is "1 sample", in the message and in the evidence note alike.
    const words = JSON.stringify(run.rows.filter((r) => r.requirement === 'LAT-04'));
    expect(words).not.toMatch(/\b1 samples\b/);
    expect(words).toMatch(/slowest successful request of 1 sample"/);
  }, 90_000);
});
