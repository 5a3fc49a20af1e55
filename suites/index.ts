/** Every suite, in the order a run executes them: each later suite builds on what earlier ones learned. */
import type { Check } from '../src/engine/check.js';
import { metadataChecks } from './metadata.js';

export const allChecks: Check[] = [...metadataChecks];
