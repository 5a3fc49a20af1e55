/** BATCH faults: the batch-response. */
import type { FaultPlugin } from './hooks.js';

export const batchFaults: FaultPlugin[] = [
  {
    name: 'BATCH-1',
    requirement: 'BATCH-1',
    description: 'batch-response entries come back in reverse order',
    request: {
      batchEntries(entries) {
        entries.reverse();
      },
    },
  },
];
