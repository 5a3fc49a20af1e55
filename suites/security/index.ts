/**
 * SEC: https everywhere, TLS 1.2+ with a certificate that validates, and error answers that give
 * nothing away. The token URL is judged too: META-04's, or read here when META did not run.
 */
import type { Check } from '../../src/engine/check.js';
import { errorBodyChecks } from './error-bodies.js';
import { tlsChecks } from './tls.js';

export const securityChecks: Check[] = [...tlsChecks, ...errorBodyChecks];
