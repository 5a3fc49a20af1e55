/** Asserts a report follows the report.json contract: the JSON schema, the digest and the verdict rule. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { computeDigest } from '../../src/report/digest.js';
import type { Report } from '../../src/core/model.js';
import { requirements } from '../../src/core/requirements.js';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(
  JSON.parse(readFileSync(join(packageRoot, 'schemas/report.schema.json'), 'utf8')) as object,
);

export function expectContract(report: Report): void {
  expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  expect(report.digest).toBe(computeDigest(report));
  for (const row of report.checks) expect(requirements.has(row.requirement), row.requirement).toBe(true);
  expect(new Set(report.checks.map((r) => r.id)).size).toBe(report.checks.length);
  const broken = report.checks.some(
    (r) => r.level === 'required' && (r.status === 'fail' || r.status === 'error'),
  );
  expect(report.verdict).toBe(broken ? 'fail' : 'pass');
  const counted = Object.values(report.summary).reduce((a, b) => a + b, 0);
  expect(counted).toBe(report.checks.length);
}
