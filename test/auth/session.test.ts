/**
 * The run's one token provider uses the working secret whichever suite asks first: after a rotation,
 * a data request that comes before any AUTH check must not be sent with the secret the partner
 * already retired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingSecret } from '../../src/auth/secret.js';
import { asTenant, fhirUrl, makeTokenProvider } from '../../src/auth/session.js';
import { defineCheck, fail, pass } from '../../src/engine/check.js';
import { tokenUrl } from '../../src/partner/facts.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { rotateSecret } from '../../src/reference-partner/rotate.js';
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

const firstDataRequest = [
  defineCheck({
    id: 'data-first',
    requirement: 'RES-READ-1',
    uses: { tokenUrl },
    async run(ctx, { tokenUrl }) {
      const tokens = makeTokenProvider(ctx, tokenUrl, await workingSecret(ctx, tokenUrl));
      const res = await asTenant(ctx, tokens, ctx.options.tenants[0]!, {
        url: fhirUrl(ctx, 'Patient?_count=1'),
      });
      return res.status === 200 ? pass('HTTP 200') : fail(`HTTP ${res.status}`);
    },
  }),
];

describe('the working secret after a secret rotation', () => {
  it('is the rotated secret, also when a data request is the first to ask for a token', async () => {
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
