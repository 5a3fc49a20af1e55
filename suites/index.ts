/**
 * Every check of every family. The order of this list does not matter: a run orders the checks by
 * the facts each uses and provides, families in catalogue order (src/engine/select.ts). Add a family
 * by adding its list here; add a requirement by adding its check to its family's file.
 */
import type { Check } from '../src/engine/check.js';
import { authChecks } from './auth/index.js';
import { batchChecks } from './batch.js';
import { latencyChecks } from './latency.js';
import { metadataChecks } from './metadata.js';
import { resourceChecks, resourceValidityChecks } from './resources.js';
import { routingChecks } from './routing/index.js';
import { searchChecks } from './search.js';
import { securityChecks } from './security/index.js';

export const allChecks: Check[] = [
  ...metadataChecks,
  ...securityChecks,
  ...authChecks,
  ...routingChecks,
  ...resourceChecks,
  ...resourceValidityChecks,
  ...searchChecks,
  ...batchChecks,
  ...latencyChecks,
];
