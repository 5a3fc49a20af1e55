/**
 * `../shared` beside the project: the spec, the official HL7 examples and StructureDefinitions. CI and
 * the team's machines have it; a user's clone does not, so the tests that read it skip and say so.
 * FHIR_CERTIFY_SHARED points elsewhere.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const sharedDir = process.env.FHIR_CERTIFY_SHARED ?? resolve(import.meta.dirname, '../../../shared');

export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/** A test title that says whether the shared data was there, so a skip is never silent. */
export function sharedTitle(title: string, path: string): string {
  return existsSync(path) ? title : `${title} (skipped: ${path} is absent; it sits beside the project in CI)`;
}
