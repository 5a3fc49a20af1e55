/**
 * Validation throughput: `node --import tsx bench/validate.bench.ts`. Prints medians of several runs
 * for a Patient-sized resource and a 100-entry searchset Bundle, with JSON.parse measured apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FhirVersion } from '../src/core/fhir-version.js';
import { isValidResource, loadValidator, validateResource } from '../src/fhir/validate.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/fhir/', import.meta.url));
const runs = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Calls fn n times per run and returns the median rate in calls per second. */
function rate(n: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(); // warm-up for the JIT
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    rates.push(n / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

for (const version of ['dstu2', 'stu3'] as const satisfies readonly FhirVersion[]) {
  const patientText = readFileSync(join(fixtures, version, 'patient.json'), 'utf8');
  const patient = JSON.parse(patientText) as Record<string, unknown>;
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: 100,
    entry: Array.from({ length: 100 }, (_, i) => ({
      fullUrl: `https://fhir.example.org/Patient/p${i}`,
      resource: { ...patient, id: `p${i}` },
      search: { mode: 'match' },
    })),
  };
  const bundleText = JSON.stringify(bundle);

  const t0 = performance.now();
  await loadValidator(version);
  isValidResource(patient, version);
  const loadMs = performance.now() - t0;

  const parsePatient = rate(100_000, () => JSON.parse(patientText));
  const validatePatient = rate(200_000, () => isValidResource(patient, version));
  const parseBundle = rate(1_000, () => JSON.parse(bundleText));
  const validateBundle = rate(2_000, () => isValidResource(bundle, version));
  const bad = structuredClone(bundle);
  (bad.entry[57]!.resource as Record<string, unknown>).gender = 'M';
  const issues = validateResource(bad, version);

  console.log(`${version}: validator load and first use ${loadMs.toFixed(0)} ms`);
  console.log(
    `  Patient (${patientText.length} bytes): validate ${fmt(validatePatient)}/s, JSON.parse ${fmt(parsePatient)}/s, both ${fmt(1 / (1 / validatePatient + 1 / parsePatient))}/s`,
  );
  console.log(
    `  searchset Bundle of 100 (${bundleText.length} bytes): validate ${fmt(validateBundle)} Bundles/s = ${fmt(validateBundle * 100)} resources/s, JSON.parse ${fmt(parseBundle)} Bundles/s`,
  );
  console.log(
    `  one bad field in the Bundle: ${issues.length} issue(s): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
  );
  console.log(
    `  target > 300,000 Patients/s: ${validatePatient > 300_000 ? 'met' : 'NOT met'} (median of ${runs} runs)`,
  );
}
