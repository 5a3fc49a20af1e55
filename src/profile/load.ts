/**
 * Profiles are data: which resources and searches the app needs and its latency budgets. A profile
 * file that breaks the schema is a configuration error (exit 2) naming the file, the path and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import type { FhirVersion } from '../core/fhir-version.js';
import { profilesDir } from '../core/paths.js';
import { ConfigError } from '../core/config-error.js';
import type { Profile } from './model.js';
import { profileProblem } from './semantics.js';

let validate: ReturnType<Ajv['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv['compile']> {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(profilesDir, 'profile.schema.json'), 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validate;
}

export function defaultProfileName(version: FhirVersion): string {
  return `patients-app-${version}`;
}

/** A built-in profile name, or a path to a profile file. */
export function loadProfile(nameOrPath: string): Profile {
  const builtIn = /^[a-z0-9-]+$/.test(nameOrPath);
  const file = builtIn ? join(profilesDir, `${nameOrPath}.json`) : nameOrPath;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      builtIn
        ? `there is no built-in profile named "${nameOrPath}"; use patients-app-dstu2, patients-app-stu3 or a path to a profile file`
        : `cannot read the profile file ${file}; check the path given to --profile`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the profile file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const check = schemaValidator();
  if (!check(data)) {
    const first = check.errors![0] as ErrorObject;
    throw new ConfigError(
      `the profile file ${file} is invalid at ${first.instancePath || '/'}: ${first.message ?? 'schema violation'}; see profiles/profile.schema.json`,
    );
  }
  const profile = data as Profile;
  const problem = profileProblem(profile);
  if (problem) {
    throw new ConfigError(
      `the profile file ${file} is invalid at ${problem.path}: ${problem.reason}; see profiles/profile.schema.json`,
    );
  }
  return profile;
}
