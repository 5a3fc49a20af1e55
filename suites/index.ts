/**
 * Every suite, in the order a run executes them: each later suite builds on what earlier ones
 * learned (metadata → transport → auth → routing and probe patients → resources → search → batch →
 * latency). Add a suite by importing its checks here, in that order.
 */
import type { Check } from '../src/engine/check.js';
import { authChecks } from './auth/index.js';
import { batchChecks } from './batch.js';
import { latencyChecks } from './latency.js';
import { metadataChecks } from './metadata.js';
import { resourceChecks, resourceValidityChecks } from './resources.js';
import { routingChecks } from './routing/index.js';
import { searchChecks } from './search.js';
import { transportChecks } from './transport/index.js';

export const allChecks: Check[] = [
  ...metadataChecks,
  ...transportChecks,
  ...authChecks,
  ...routingChecks,
  ...resourceChecks,
  ...searchChecks,
  ...batchChecks,
  // RES-VAL-1 judges every resource the data suites above were returned.
  ...resourceValidityChecks,
  // Last: latency sampling must not slow the other suites, and only measures what they proved works.
  ...latencyChecks,
];
