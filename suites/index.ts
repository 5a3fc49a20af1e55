/**
 * Every suite, in the order a run executes them: each later suite builds on what earlier ones
 * learned (metadata → transport → auth → routing and probe patients → resources → search → batch →
 * latency). Add a suite by importing its checks here, in that order.
 */
import type { Check } from '../src/engine/check.js';
import { metadataChecks } from './metadata.js';

export const allChecks: Check[] = [
  ...metadataChecks,
  // transport (SEC), auth (AUTH), routing (ROUTE), resources (RES), search (SRCH), batch (BATCH), latency (LAT)
];
