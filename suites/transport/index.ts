/**
 * SEC: transport. https everywhere, TLS 1.2+ with a certificate that validates, and error answers that
 * give nothing away. Runs right after the capability statement, so it knows the token URL.
 */
import type { Check } from '../../src/engine/check.js';
import { errorBodyChecks } from './error-bodies.js';
import { tlsChecks } from './tls.js';

export const transportChecks: Check[] = [...tlsChecks, ...errorBodyChecks];
