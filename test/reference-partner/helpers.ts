/** HTTP helpers for the reference partner tests: the partner's plain client (global fetch, loopback). */
export * from '../../src/reference-partner/plain-client.js';
