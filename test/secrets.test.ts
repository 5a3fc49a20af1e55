import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { conformantCapability } from './helpers/capability.js';
import { runCli } from './helpers/cli.js';
import { startMswPartner, type MswPartner } from './helpers/msw-partner.js';

const SECRET = 'Zx9-very-secret-client-secret-42';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
let partner: MswPartner | undefined;
afterEach(async () => partner?.close());

describe('no client secret reaches any output', () => {
  it('even when the partner echoes it back in a body and a header', async () => {
    const capability = conformantCapability('stu3');
    capability.description = `configured for client secret ${SECRET}`;
    partner = await startMswPartner([
      http.get('*/fhir/metadata', () =>
        HttpResponse.json(capability, {
          headers: { 'content-type': 'application/fhir+json', 'x-debug': `secret=${SECRET}` },
        }),
      ),
    ]);
    const run = await runCli(
      [
        'run',
        '--base-url',
        partner.baseUrl,
        '--allow-insecure-http',
        '--client-id',
        'app',
        '--tenant',
        TENANT,
        '--only',
        'META',
      ],
      { FHIR_CERTIFY_CLIENT_SECRET: SECRET },
    );
    expect(run.report).toBeDefined();
    const everything = run.everything();
    expect(everything).toContain('configured for client secret');
    expect(everything).not.toContain(SECRET);
  });
});
