/** Runs a list of checks through the real engine with a real HTTP client, for engine-level tests. */
import type { Check } from '../../src/engine/check.js';
import { defaultOptions, type RunOptions } from '../../src/engine/options.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';

export function testOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  return { ...defaultOptions, baseUrl: 'http://127.0.0.1:1/fhir', allowInsecureHttp: true, ...overrides };
}

export async function runTestChecks(checks: Check[], overrides: Partial<RunOptions> = {}) {
  const options = testOptions(overrides);
  const redactor = new Redactor();
  const client = new HttpClient({
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    redactor,
    allowInsecureHttp: true,
  });
  try {
    return await runChecks({ checks, options, client, redactor });
  } finally {
    await client.close();
  }
}
