/** LAT faults: answers of one interaction class held past the budget, or refused under concurrency. */
import { fhirGet, postJson, token, tokenRequest } from '../plain-client.js';
import { probePatient, problems, budget } from './detector-tools.js';
import type { FaultPlugin, Interaction } from './hooks.js';

function slow(interaction: Interaction, ms: number) {
  return { delayMs: (i: Interaction): number => (i === interaction ? ms : 0) };
}

export const latencyFaults: FaultPlugin[] = [
  {
    name: 'LAT-01',
    requirement: 'LAT-01',
    description: 'metadata answers 1500 ms late',
    request: slow('metadata', 1500),
    detect: {
      slow: true,
      run: (p, v) => budget(p, v, 1000, async () => (await fhirGet(p, v, 'metadata')).headers),
    },
  },
  {
    name: 'LAT-02',
    requirement: 'LAT-02',
    description: 'the token endpoint answers 1500 ms late',
    request: slow('token', 1500),
    detect: {
      slow: true,
      run: (p, v) => budget(p, v, 1000, async () => (await tokenRequest(p)).headers),
    },
  },
  {
    name: 'LAT-03',
    requirement: 'LAT-03',
    description: 'reads by id answer 1000 ms late',
    request: slow('read', 1000),
    detect: {
      slow: true,
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        return budget(
          p,
          v,
          500,
          async () => (await fhirGet(p, v, `Patient/${String(patient.id)}`, bearer)).headers,
        );
      },
    },
  },
  {
    name: 'LAT-04',
    requirement: 'LAT-04',
    description: 'searches answer 1500 ms late (reads and batches are not slowed)',
    request: slow('search', 1500),
    detect: {
      slow: true,
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        return budget(p, v, 1000, async () => (await fhirGet(p, v, 'Patient?_count=5', bearer)).headers);
      },
    },
  },
  {
    name: 'LAT-05',
    requirement: 'LAT-05',
    description: 'batches answer 2500 ms late',
    request: slow('batch', 2500),
    detect: {
      slow: true,
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        const body = {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: 'Patient?_count=1' } }],
        };
        return budget(p, v, 2000, async () => (await postJson(p.baseUrl(v), body, bearer)).headers);
      },
    },
  },
  {
    name: 'LAT-06',
    requirement: 'LAT-06',
    description: 'data requests are held 100 ms and any request overlapping another one answers 503',
    request: { overlapping: { holdMs: 100 } },
    detect: {
      slow: true,
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        const replies = await Promise.all(
          Array.from({ length: 8 }, () => fhirGet(p, v, 'Patient?_count=2', bearer)),
        );
        const failed = replies.filter((r) => r.status !== 200).length;
        return problems([failed === 0, `${failed} of 8 concurrent requests failed`]);
      },
    },
  },
];
