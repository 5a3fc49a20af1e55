/**
 * The run's one token provider uses the working secret whichever suite asks first: after a rotation,
 * a data request that comes before any AUTH check must not be sent with the secret the partner
 * already retired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTenant, fhirUrl } from '../../src/auth/session.js';
import { defineChecks, fail, pass } from '../../src/engine/check.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference/index.js';
import { rotateSecret } from '../../src/reference/rotate.js';
import { metadataChecks } from '../../suites/metadata.js';
import { runTestChecks } from '../helpers/engine.js';

const NEW = 'rotated-Secret-0123456789abcdef';
let p: ReferencePartner;
let old: string;
beforeAll(async () => {
  p = await startReferencePartner({ faults: [] });
  old = p.clientSecret;
  await rotateSecret(p, NEW);
});
afterAll(() => p.close());

const firstDataRequest = defineChecks([
  {
    id: 'data-first',
    requirement: 'RES-READ-1',
    title: 'a data request before any AUTH check',
    requires: ['meta-04-oauth-uris'],
    async run(ctx) {
      const res = await asTenant(ctx, ctx.options.tenants[0]!, { url: fhirUrl(ctx, 'Patient?_count=1') });
      return res.status === 200 ? pass('HTTP 200') : fail(`HTTP ${res.status}`);
    },
  },
]);

describe('tokenProvider after a secret rotation', () => {
  it('uses the rotated secret even when a data request is the first to ask for a token', async () => {
    const { rows } = await runTestChecks([...metadataChecks, ...firstDataRequest], {
      baseUrl: p.baseUrl('stu3'),
      clientId: p.clientId,
      clientSecret: old,
      rotatedSecret: NEW,
      rotatedSecretEnv: 'NEW_SECRET',
      tenants: p.tenants,
    });
    const row = rows.find((r) => r.id === 'data-first')!;
    expect(row.status, row.message).toBe('pass');
  });
});
