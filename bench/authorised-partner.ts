/**
 * The set-up the client benchmarks share: the reference partner in a child process, one HttpClient,
 * a token for the first tenant and the id of a Patient to read.
 */
import { requestToken } from '../src/auth/token-client.js';
import { HttpClient } from '../src/http/client.js';
import { Redactor } from '../src/http/redact.js';
import { startChildPartner, type ChildPartner } from './partner-child.js';

export interface AuthorisedPartner {
  partner: ChildPartner;
  client: HttpClient;
  token: string;
  patientId: string;
  close(): Promise<void>;
}

export async function startAuthorisedPartner(connectionsPerOrigin?: number): Promise<AuthorisedPartner> {
  const partner = await startChildPartner();
  const redactor = new Redactor();
  redactor.addSecret(partner.clientSecret);
  const client = new HttpClient({
    timeoutMs: 10_000,
    maxResponseBytes: 20 << 20,
    redactor,
    allowInsecureHttp: true,
    ...(connectionsPerOrigin ? { connectionsPerOrigin } : {}),
  });
  const close = async (): Promise<void> => {
    await client.close();
    await partner.close();
  };
  try {
    const { parsed } = await requestToken(
      client,
      partner.tokenUrl,
      {
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        scope: partner.tenants[0],
        method: 'client_secret_post',
        quiet: true,
      },
      redactor,
    );
    if (!parsed.ok) throw new Error(`no token: ${parsed.reason}`);
    const token = parsed.token.accessToken;
    const search = await client.request({
      url: `${partner.baseUrl}/Patient?_count=1`,
      bearer: token,
      quiet: true,
    });
    const patientId = (search.json() as { ok: true; value: { entry: Array<{ resource: { id: string } }> } })
      .value.entry[0]!.resource.id;
    return { partner, client, token, patientId, close };
  } catch (err) {
    await close();
    throw err;
  }
}
