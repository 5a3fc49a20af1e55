/** Every bound of a run is an option with a default, and every one is reported in report.target.settings. */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { defaultOptions } from '../../src/engine/options.js';
import { conformantCapability, fhirMediaType } from '../helpers/capability.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { certifyMeta } from './partners.js';

let partner: MswPartner | undefined;
afterEach(async () => partner?.close());

async function serving() {
  partner = await startMswPartner([
    http.get('*/fhir/metadata', () =>
      HttpResponse.json(conformantCapability('stu3'), { headers: { 'content-type': fhirMediaType.stu3 } }),
    ),
  ]);
  return partner;
}

describe('bounds are reported in report.target.settings', () => {
  it('with their defaults', async () => {
    const p = await serving();
    const run = await certifyMeta(p.baseUrl);
    expect(run.report!.target.settings).toMatchObject({
      timeoutMs: 10_000,
      runTimeoutMs: 900_000,
      maxResponseBytes: 20 * 1024 * 1024,
      maxPages: 20,
      maxRedirects: 0,
    });
    expect(defaultOptions).toMatchObject({ timeoutMs: 10_000, runTimeoutMs: 900_000, maxPages: 20 });
  });

  it('as given on the command line', async () => {
    const p = await serving();
    const run = await certifyMeta(p.baseUrl, [
      '--timeout',
      '1234',
      '--run-timeout',
      '56789',
      '--max-response-bytes',
      '65536',
      '--max-pages',
      '3',
    ]);
    expect(run.code).toBe(0);
    expect(run.report!.target.settings).toMatchObject({
      timeoutMs: 1234,
      runTimeoutMs: 56789,
      maxResponseBytes: 65536,
      maxPages: 3,
      maxRedirects: 0,
    });
  });

  it('refuses bounds that are not bounds (exit 2, before any request)', async () => {
    const p = await serving();
    for (const [flag, value] of [
      ['--timeout', '0'],
      ['--run-timeout', '-1'],
      ['--max-response-bytes', '10'],
      ['--max-pages', 'many'],
    ]) {
      const run = await certifyMeta(p.baseUrl, [flag!, value!]);
      expect(run.code, `${flag} ${value}`).toBe(2);
      expect(run.stderr).toContain(flag);
    }
    expect(p.requests.length).toBe(0);
  });
});
