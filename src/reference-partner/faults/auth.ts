/** AUTH faults: the token endpoint and the bearer tokens data requests carry. */
import type { FaultPlugin } from './hooks.js';

export const authFaults: FaultPlugin[] = [
  {
    name: 'AUTH-01',
    requirement: 'AUTH-01',
    description: 'the token response says token_type "MAC" (the token itself still works as a bearer)',
    token: {
      answer(a) {
        a.body.token_type = 'MAC';
      },
    },
  },
  {
    name: 'AUTH-02',
    requirement: 'AUTH-02',
    description: 'the token response has no Cache-Control: no-store and no Pragma: no-cache',
    token: {
      answer(a) {
        delete a.headers['Cache-Control'];
        delete a.headers.Pragma;
      },
    },
  },
  {
    name: 'AUTH-03',
    requirement: 'AUTH-03',
    description: 'a known client_id with a wrong client_secret gets a token',
    // A secret a rotation retired is a wrong secret too.
    token: {
      requestFlaw: (flaw) => (flaw === 'wrong-secret' || flaw === 'retired-secret' ? 'accept' : undefined),
    },
  },
  {
    name: 'AUTH-04',
    requirement: 'AUTH-04',
    description: 'an unknown client_id gets a token',
    token: { requestFlaw: (flaw) => (flaw === 'unknown-client' ? 'accept' : undefined) },
  },
  {
    name: 'AUTH-05',
    requirement: 'AUTH-05',
    description: 'a missing or unsupported grant_type gets a token',
    token: {
      requestFlaw: (flaw) =>
        flaw === 'missing-grant-type' || flaw === 'unsupported-grant-type' ? 'accept' : undefined,
    },
  },
  {
    name: 'AUTH-06',
    requirement: 'AUTH-06',
    description:
      "the JWT's exp is two hours later than expires_in says (the server still expires it on time)",
    token: {
      claims(c) {
        c.exp += 7200;
      },
    },
  },
  {
    name: 'AUTH-07',
    requirement: 'AUTH-07',
    description: "data requests without a token are served (tenant A's data)",
    token: { bearerFlaw: (flaw) => flaw === 'missing' },
  },
  {
    name: 'AUTH-08',
    requirement: 'AUTH-08',
    description: 'the token signature is not verified: tampered or random bearer tokens reach data',
    token: { bearerFlaw: (flaw) => flaw === 'bad-signature' },
  },
  {
    name: 'AUTH-09',
    requirement: 'AUTH-09',
    description: 'expired tokens are still accepted',
    token: { bearerFlaw: (flaw) => flaw === 'expired' },
  },
  {
    name: 'AUTH-10',
    requirement: 'AUTH-10',
    description: 'after a rotation the old client secret keeps working',
    token: { requestFlaw: (flaw) => (flaw === 'retired-secret' ? 'accept' : undefined) },
  },
  {
    name: 'AUTH-11',
    requirement: 'AUTH-11',
    description: 'the token response echoes client_secret',
    token: {
      answer(a) {
        a.body.client_secret = a.clientSecret;
      },
    },
  },
];
