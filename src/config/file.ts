/**
 * The config file: the same options as the flags, in JSON or YAML. Unknown keys are errors, so a typo
 * never silently drops a setting; a secret in the file is refused, because files get committed.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/config-error.js';

const stringOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const positiveInt = { type: 'integer', minimum: 1 };

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string' },
    clientId: { type: 'string' },
    clientSecretEnv: { type: 'string' },
    rotatedSecretEnv: { type: 'string' },
    tokenAuth: { enum: ['client_secret_post', 'client_secret_basic'] },
    tenant: stringOrList,
    tenants: stringOrList,
    fhirVersion: { enum: ['auto', 'dstu2', 'stu3'] },
    profile: { type: 'string' },
    probePatient: {
      anyOf: [stringOrList, { type: 'object', additionalProperties: { type: 'string' } }],
    },
    samples: positiveInt,
    concurrency: positiveInt,
    timeout: positiveInt,
    runTimeout: positiveInt,
    maxResponseBytes: positiveInt,
    maxPages: positiveInt,
    maxExpiryWait: { type: 'integer', minimum: 0 },
    ca: { type: 'string' },
    signKey: { type: 'string' },
    allowInsecureHttp: { type: 'boolean' },
    only: stringOrList,
    out: { type: 'string' },
    format: stringOrList,
    budget: { anyOf: [stringOrList, { type: 'object', additionalProperties: { type: 'number' } }] },
    quiet: { type: 'boolean' },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);

export type ConfigFileValues = Record<string, unknown>;

export function readConfigFile(path: string): ConfigFileValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the config file ${path}; check the path given to --config`);
  }
  let data: unknown;
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new ConfigError(`the config file ${path} is not valid ${yaml ? 'YAML' : 'JSON'}: ${first}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(
      `the config file ${path} must hold an object of options, like {"baseUrl": "https://…"}`,
    );
  }
  const values = data as ConfigFileValues;
  for (const key of ['clientSecret', 'client_secret', 'secret', 'rotatedSecret']) {
    if (key in values) {
      throw new ConfigError(
        `the config file ${path} holds a secret ("${key}"); put it in an environment variable and name that variable with clientSecretEnv`,
      );
    }
  }
  if (!validate(values)) {
    const e = validate.errors![0]!;
    const where = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'the top level';
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      throw new ConfigError(
        `the config file ${path} has an unknown option "${key}"; known options are ${Object.keys(schema.properties).join(', ')}`,
      );
    }
    throw new ConfigError(`the config file ${path} is invalid at ${where}: ${e.message ?? 'wrong value'}`);
  }
  return values;
}
