/**
 * A third-party FHIR client (fhir-kit-client 2.0.3, which nobody here wrote) reads and searches the
 * reference partner with a bearer token, for both versions, and finds the token URL through SMART
 * metadata discovery.
 */
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferencePartner } from '../../src/reference-partner/index.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import { token } from './helpers.js';

type Bundle = {
  resourceType: string;
  type: string;
  total: number;
  entry?: Array<{ resource: { id: string; resourceType: string } }>;
};

let p: ReferencePartner;
beforeAll(async () => {
  p = await startReferencePartner({ patientsPerTenant: 15 });
});
afterAll(async () => {
  await p.close();
});

describe.each(['dstu2', 'stu3'] as const)('fhir-kit-client against %s', (version) => {
  it('discovers the token URL from the capability statement', async () => {
    const client = new Client({ baseUrl: p.baseUrl(version) });
    const auth = await client.smartAuthMetadata();
    expect(String(auth.tokenUrl)).toBe(p.tokenUrl);
  });

  it('searches, pages and reads with a bearer token', async () => {
    const client = new Client({ baseUrl: p.baseUrl(version), bearerToken: await token(p, p.tenants[1]) });
    const first = (await client.search({ resourceType: 'Patient', searchParams: { _count: 10 } })) as Bundle;
    expect(first.type).toBe('searchset');
    expect(first.total).toBe(15);
    const second = (await client.nextPage({ bundle: first as never })) as Bundle;
    expect(second.entry).toHaveLength(5);
    const id = first.entry![0]!.resource.id;
    const patient = (await client.read({ resourceType: 'Patient', id })) as unknown as { id: string };
    expect(patient.id).toBe(id);
    const vitals = (await client.search({
      resourceType: 'Observation',
      searchParams: {
        patient: id,
        category: 'vital-signs',
        ...(version === 'dstu2' ? { '_sort:desc': 'date' } : { _sort: '-date' }),
      },
    })) as Bundle;
    expect(vitals.total).toBeGreaterThan(0);
    const batch = (await client.batch({
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'GET', url: `Patient/${id}` } }],
      },
    })) as Bundle;
    expect(batch.type).toBe('batch-response');
  });

  it('sees a 401 without a token and a 404 for an unknown id', async () => {
    const anonymous = new Client({ baseUrl: p.baseUrl(version) });
    await expect(anonymous.read({ resourceType: 'Patient', id: 'x' })).rejects.toMatchObject({
      response: { status: 401 },
    });
    const client = new Client({ baseUrl: p.baseUrl(version), bearerToken: await token(p) });
    await expect(client.read({ resourceType: 'Patient', id: 'nobody' })).rejects.toMatchObject({
      response: { status: 404 },
    });
  });
});
