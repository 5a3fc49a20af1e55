/**
 * AUTH-10: after a secret rotation the old secret is refused and the new one works. The harness never
 * rotates a secret itself (see credentials.ts); it is told of a rotation by being given both secrets.
 */
import { fhirUrl } from '../../src/auth/session.js';
import { defineCheck, fail, manual, pass } from '../../src/engine/check.js';
import { tokenAnswers, tokenUrl } from '../../src/partner/facts.js';
import { describe } from '../../src/http/exchange.js';
import { askToken, isSuccess, judgeRefusal } from './shared.js';

export const rotationCheck = defineCheck({
  id: 'auth-10-rotation',
  requirement: 'AUTH-10',
  uses: { tokenUrl },
  adds: [tokenAnswers],
  needs: ['connection', 'token-endpoint', 'credentials'],
  async run(ctx, { tokenUrl }) {
    const { clientId, clientSecret, clientSecretEnv, rotatedSecret, rotatedSecretEnv, tenants } = ctx.options;
    if (!rotatedSecret) {
      return manual(
        'rotate the client secret at the partner, then confirm the old secret gets invalid_client and the new one a working token (or rerun with the old secret in --client-secret-env and the new one in --rotated-secret-env)',
      );
    }
    const required = { level: 'required' as const };
    const scope = tenants[0];
    const old = await askToken(ctx, tokenUrl, { clientId, clientSecret, scope });
    const fresh = await askToken(ctx, tokenUrl, { clientId, clientSecret: rotatedSecret, scope });
    const oldName = `the old secret (${clientSecretEnv})`;
    const newName = `the rotated secret (${rotatedSecretEnv})`;
    if (!fresh.parsed.ok) {
      return fail(
        old.parsed.ok
          ? `${newName} is refused (${fresh.parsed.reason}) while ${oldName} still works: the rotation has not happened at the partner, or ${rotatedSecretEnv} holds the wrong secret; rotate it there (the harness never does) and run again`
          : `neither secret gets a token: ${newName} ${fresh.parsed.reason}, ${oldName} ${old.parsed.reason}`,
        required,
      );
    }
    const refusal = judgeRefusal(
      old.exchange,
      `after the rotation ${oldName}`,
      [400, 401],
      ['invalid_client'],
      required,
    );
    if (refusal.status !== 'pass') return refusal;
    const data = await ctx.http.request({
      url: fhirUrl(ctx, 'Patient?_count=1'),
      bearer: fresh.parsed.token.accessToken,
    });
    if (!isSuccess(data)) {
      return fail(
        `${newName} gets a token, but GET Patient?_count=1 with it answered ${describe(data)}`,
        required,
      );
    }
    return pass(
      `${refusal.message}; ${newName} gets a token that reaches data (HTTP ${data.status})`,
      required,
    );
  },
});
