/** SEC faults. SEC-01 and SEC-02 judge the transport, which the partner's options set (see NOT_FAULTABLE). */
import { fhirGet, get, postJson, token } from '../plain-client.js';
import type { FaultPlugin } from './hooks.js';

export const securityFaults: FaultPlugin[] = [
  {
    name: 'SEC-03',
    requirement: 'SEC-03',
    description: 'error OperationOutcomes carry a stack trace in diagnostics',
    request: { stackTraces: true },
    rowSays: /carrying a JavaScript stack frame/,
    detect: {
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        const out: string[] = [];
        // Errors no other fault changes: an unsupported type, a bad _count, a batch that is not JSON.
        const replies = [
          await fhirGet(p, v, 'Basic/1', bearer),
          await get(`${p.baseUrl(v)}/Patient?_count=many`, bearer),
          await postJson(p.baseUrl(v), '{"resourceType": "Bundle", ', bearer),
        ];
        for (const r of replies) {
          if (r.json.resourceType !== 'OperationOutcome')
            out.push(`${r.status} body is not an OperationOutcome`);
          if (/\n\s+at |\.[jt]s:\d+|node:internal/.test(r.text))
            out.push(`${r.status} body carries a stack trace`);
        }
        return out;
      },
    },
  },
];
