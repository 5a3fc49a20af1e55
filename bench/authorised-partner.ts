/**
 * The set-up the client benchmarks share: the reference partner in a child process, one HttpClient,
 * a token for the first tenant, a Patient to read, and a run context as a certification run has it
 * once META and ROUTE have passed (token URL, version, probe patient), so a benchmark can drive the
 * latency suites' own interactions rather than a stand-in.
 */
import { requestToken } from '../src/auth/token-client.js';
import { makeTokenProvider } from '../src/auth/session.js';
import type { RunContext } from '../src/engine/context.js';
import type { SampledPartner } from '../src/latency/interactions.js';
import { standaloneContext } from '../test/helpers/context.js';
import { defaultOptions } from '../src/engine/options.js';
import type { Probe } from '../src/partner/probe.js';
import { HttpClient } from '../src/http/client.js';
import { Redactor } from '../src/http/redact.js';
import { startChildPartner, type ChildPartner } from './partner-child.js';

export interface AuthorisedPartner {
  partner: ChildPartner;
  client: HttpClient;
  token: string;
  patientId: string;
  ctx: RunContext;
  /** What the latency interactions are sent with: the run, its tokens, STU3. */
  sampled: SampledPartner;
  probe: Probe;
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
    const tenant = partner.tenants[0]!;
    const { parsed } = await requestToken(
      client,
      partner.tokenUrl,
      {
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        scope: tenant,
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
    const patient = (search.json() as { ok: true; value: { entry: Array<{ resource: { id: string } }> } })
      .value.entry[0]!.resource;
    const ctx = standaloneContext({
      options: {
        ...defaultOptions,
        baseUrl: partner.baseUrl,
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        tenants: partner.tenants,
        allowInsecureHttp: true,
      },
      client,
      redactor,
    });
    const sampled: SampledPartner = {
      ctx,
      tokens: makeTokenProvider(ctx, partner.tokenUrl, partner.clientSecret),
      version: 'stu3',
      profile: undefined,
      rest: undefined,
    };
    const probe: Probe = { tenant, id: patient.id, patient, source: 'discovered' };
    return { partner, client, token, patientId: patient.id, ctx, sampled, probe, close };
  } catch (err) {
    await close();
    throw err;
  }
}
