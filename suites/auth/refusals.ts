/**
 * AUTH-03, AUTH-04, AUTH-05: the token endpoint refuses bad requests as RFC 6749 §5.2 says. Each request
 * is the app's own request with exactly one thing wrong.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { defineCheck } from '../../src/engine/check.js';
import { tokenAnswers, tokenUrl } from '../../src/partner/facts.js';
import { workingSecret } from '../../src/auth/secret.js';
import { askToken, judgeRefusal } from './shared.js';

export const refusals = [
  defineCheck({
    id: 'auth-03-wrong-secret',
    requirement: 'AUTH-03',
    uses: { tokenUrl },
    adds: [tokenAnswers],
    needs: ['connection', 'token-endpoint'],
    async run(ctx, { tokenUrl }) {
      // A random secret, not a variation of the real one: an answer that echoes it leaks nothing.
      const { exchange } = await askToken(ctx, tokenUrl, {
        clientId: ctx.options.clientId,
        clientSecret: `wrong-${randomBytes(18).toString('base64url')}`,
        scope: ctx.options.tenants[0],
      });
      return judgeRefusal(exchange, 'a wrong client_secret', [400, 401], ['invalid_client']);
    },
  }),
  defineCheck({
    id: 'auth-04-unknown-client',
    requirement: 'AUTH-04',
    uses: { tokenUrl },
    adds: [tokenAnswers],
    needs: ['connection', 'token-endpoint'],
    async run(ctx, { tokenUrl }) {
      const { exchange } = await askToken(ctx, tokenUrl, {
        clientId: `fhir-certify-unknown-${randomUUID()}`,
        clientSecret: await workingSecret(ctx, tokenUrl),
        scope: ctx.options.tenants[0],
      });
      return judgeRefusal(exchange, 'an unknown client_id', [400, 401], ['invalid_client']);
    },
  }),
  defineCheck({
    id: 'auth-05-grant-type',
    requirement: 'AUTH-05',
    uses: { tokenUrl },
    adds: [tokenAnswers],
    // A partner may authenticate the client before it reads grant_type (RFC 6749 leaves the order
    // open): with credentials it refuses, its invalid_client says nothing about grant_type.
    needs: ['connection', 'token-endpoint', 'credentials'],
    async run(ctx, { tokenUrl }) {
      const base = {
        clientId: ctx.options.clientId,
        clientSecret: await workingSecret(ctx, tokenUrl),
        scope: ctx.options.tenants[0],
      };
      const errors = ['unsupported_grant_type', 'invalid_request'];
      const missing = await askToken(ctx, tokenUrl, { ...base, omitGrantType: true });
      const password = await askToken(ctx, tokenUrl, { ...base, grantType: 'password' });
      return [
        judgeRefusal(missing.exchange, 'a request without grant_type', [400], errors, {
          subject: 'grant_type missing',
          evidence: [missing.exchange.evidence],
        }),
        // A server that implements the password grant for other clients refuses this client with
        // unauthorized_client, RFC 6749 §5.2's code for "not authorized to use this grant type".
        judgeRefusal(password.exchange, 'grant_type=password', [400], [...errors, 'unauthorized_client'], {
          subject: 'grant_type=password',
          evidence: [password.exchange.evidence],
        }),
      ];
    },
  }),
];
