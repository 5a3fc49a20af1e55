/** SEC faults. SEC-01 and SEC-02 judge the transport, which the partner's options set (see NOT_FAULTABLE). */
import type { FaultPlugin } from './hooks.js';

export const securityFaults: FaultPlugin[] = [
  {
    name: 'SEC-03',
    requirement: 'SEC-03',
    description: 'error OperationOutcomes carry a stack trace in diagnostics',
    request: { stackTraces: true },
  },
];
