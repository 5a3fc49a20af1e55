/**
 * The validators are generated ES modules, one per FHIR version, imported when a version is first
 * needed: a run certifying one version never parses the other's several MB of code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidatorLoaded, loadValidator, validateResource } from '../../src/fhir/validate.js';
import { rowsOf } from '../helpers/cli.js';
import { certifyReference } from '../suites/data-run.js';

const generated = join(import.meta.dirname, '..', '..', 'src', 'fhir', 'generated');

describe('the validator modules', () => {
  it('are plain ES modules of ajv code that need nothing of ajv at run time', () => {
    for (const version of ['dstu2', 'stu3']) {
      const code = readFileSync(join(generated, `${version}.validator.js`), 'utf8');
      // Booleans: a failure must not print megabytes of code.
      expect(/^"use strict";export const validate = validate\d+;/m.test(code), version).toBe(true);
      // ajv refers to its runtime with require() even in ES module output.
      expect(/\brequire\(/.test(code), version).toBe(false);
    }
  });

  // Runs first in this file: nothing has loaded a validator yet.
  it('a run loads the validator of the version it certifies, and not the other', async () => {
    expect(isValidatorLoaded('stu3')).toBe(false);
    const { report } = await certifyReference('stu3', 'RES-VAL');
    const rows = rowsOf(report, 'RES-VAL-1');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.status, `${row.id}: ${row.message}`).toBe('pass');
    expect(isValidatorLoaded('stu3')).toBe(true);
    expect(isValidatorLoaded('dstu2')).toBe(false);
  }, 60_000);

  it('a version is validated once its validator is loaded, and not silently before', async () => {
    const patient = { resourceType: 'Patient', gender: 'M' };
    expect(() => validateResource(patient, 'dstu2')).toThrow('the dstu2 validator is not loaded');
    await Promise.all([loadValidator('dstu2'), loadValidator('dstu2')]);
    expect(validateResource(patient, 'dstu2')).toEqual([
      { path: 'Patient.gender', message: 'expected one of male, female, other, unknown but got "M"' },
    ]);
  });
});
