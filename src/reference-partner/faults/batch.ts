/** BATCH faults: the batch-response. */
import type { Json } from '../plain-client.js';
import { fhirGet, postJson } from '../plain-client.js';
import { probePatient, problems } from './detector-tools.js';
import type { FaultPlugin } from './hooks.js';

export const batchFaults: FaultPlugin[] = [
  {
    name: 'BATCH-1',
    requirement: 'BATCH-1',
    description: 'batch-response entries come back in reverse order',
    rowSays: /entry 1 \(Patient\/\S+ \(read\)\) holds Bundle/,
    request: {
      batchEntries(entries) {
        entries.reverse();
      },
    },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const urls = [
          `Patient/${String(patient.id)}`,
          `Condition?patient=${String(patient.id)}`,
          'Patient/missing-one',
        ];
        const r = await postJson(
          p.baseUrl(v),
          {
            resourceType: 'Bundle',
            type: 'batch',
            entry: urls.map((url) => ({ request: { method: 'GET', url } })),
          },
          bearer,
        );
        const e = (r.json.entry as Json[]) ?? [];
        const single = await fhirGet(p, v, 'Patient/missing-one', bearer);
        return problems(
          [r.json.type === 'batch-response', `type ${String(r.json.type)}`],
          [e.length === 3, `${e.length} entries`],
          [
            e[0]?.resource?.id === patient.id && e[0]?.response?.status?.startsWith('200'),
            'entry 1 is not the patient',
          ],
          [e[1]?.resource?.type === 'searchset', 'entry 2 is not the search'],
          [
            String(e[2]?.response?.status).startsWith(String(single.status)),
            'entry 3 differs from the single read',
          ],
        );
      },
    },
  },
];
