/**
 * AUTH: the client-credentials token flow (RFC 6749 §4.4, §5) as the Teams app uses it, and the
 * refusals a partner owes. `auth-01-token` publishes that a token works; later suites require it.
 * AUTH-11 comes last so that it reads every token answer the suite provoked, refusals included.
 */
import type { Check } from '../../src/engine/check.js';
import { bearerChecks } from './bearer.js';
import { refusals } from './refusals.js';
import { rotationCheck } from './rotation.js';
import { secretNotEchoed, tokenInspected, tokenIssued } from './token-response.js';

export const authChecks: Check[] = [
  ...tokenIssued,
  ...refusals,
  tokenInspected,
  ...bearerChecks,
  rotationCheck,
  secretNotEchoed,
];
