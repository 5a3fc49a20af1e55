/** LAT faults: answers of one interaction class held past the budget, or refused under concurrency. */
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
  },
  {
    name: 'LAT-02',
    requirement: 'LAT-02',
    description: 'the token endpoint answers 1500 ms late',
    request: slow('token', 1500),
  },
  {
    name: 'LAT-03',
    requirement: 'LAT-03',
    description: 'reads by id answer 1000 ms late',
    request: slow('read', 1000),
  },
  {
    name: 'LAT-04',
    requirement: 'LAT-04',
    description: 'searches answer 1500 ms late (reads and batches are not slowed)',
    request: slow('search', 1500),
  },
  {
    name: 'LAT-05',
    requirement: 'LAT-05',
    description: 'batches answer 2500 ms late',
    request: slow('batch', 2500),
  },
  {
    name: 'LAT-06',
    requirement: 'LAT-06',
    description: 'data requests are held 100 ms and any request overlapping another one answers 503',
    request: { overlapping: { holdMs: 100 } },
  },
];
