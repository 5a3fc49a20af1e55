/**
 * SEC-01 and SEC-02: https for the FHIR base and the token URL, TLS 1.2 or newer, and a certificate that
 * validates against the system store or the run's --ca.
 */
import { defineCheck, fail, na, pass, skip, warn, type Outcome } from '../../src/engine/check.js';
import type { RunContext } from '../../src/engine/context.js';
import { optional } from '../../src/engine/facts.js';
import type { Evidence } from '../../src/core/model.js';
import { tokenUrl } from '../../src/partner/facts.js';
import { tokenUrlOf } from './token-url.js';
import { probeTls, tlsTargetOf, type TlsProbeResult, type TlsTarget } from '../../src/transport/tls-probe.js';

interface NamedUrl {
  name: string;
  url: string;
}

async function partnerUrls(ctx: RunContext, known: string | undefined): Promise<NamedUrl[]> {
  const urls = [{ name: 'FHIR base URL', url: ctx.options.baseUrl }];
  const token = await tokenUrlOf(ctx, known);
  if (token) urls.push({ name: 'token URL', url: token });
  return urls;
}

/** The distinct TLS endpoints behind the partner's URLs, with the URLs each one serves. */
async function tlsEndpoints(
  ctx: RunContext,
  known: string | undefined,
): Promise<Array<{ target: TlsTarget; names: string[] } | { url: NamedUrl }>> {
  const out = new Map<string, { target: TlsTarget; names: string[] }>();
  const plain: Array<{ url: NamedUrl }> = [];
  for (const named of await partnerUrls(ctx, known)) {
    const target = tlsTargetOf(named.url);
    if (!target) {
      plain.push({ url: named });
      continue;
    }
    const key = `${target.host}:${target.port}`;
    const entry = out.get(key) ?? { target, names: [] };
    entry.names.push(named.name);
    out.set(key, entry);
  }
  return [...out.values(), ...plain];
}

function endpointName(target: TlsTarget): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** A TLS handshake as report evidence: no HTTP request, so the request line names the endpoint. */
function tlsEvidence(result: TlsProbeResult, offer: string): Evidence {
  const cert = result.certificate;
  const facts = result.protocol
    ? [
        `${offer}: negotiated ${result.protocol}${result.cipher ? ` (${result.cipher})` : ''}`,
        cert
          ? `certificate CN=${cert.subject ?? '?'} issued by CN=${cert.issuer ?? '?'}, valid to ${cert.validTo ?? '?'}`
          : 'no certificate',
        result.authorized
          ? 'validates'
          : `does not validate: ${result.authorizationError ?? 'unknown reason'}`,
      ]
    : [`${offer}: no handshake`];
  return {
    request: { method: 'TLS', url: `tls://${endpointName(result.target)}`, headers: {} },
    timing: { startedAt: result.startedAt, totalMs: result.totalMs },
    ...(result.error ? { error: result.error } : {}),
    note: facts.join('; '),
  };
}

const trustHint = (ctx: RunContext): string =>
  ctx.options.ca
    ? `the system store and --ca ${ctx.options.caPath ?? ''}`.trim()
    : 'the system store (pass --ca <pem> for a private CA)';

/** The token URL META-04 found, when it ran; otherwise the transport checks read it themselves. */
const uses = { tokenUrl: optional(tokenUrl) };

export const tlsChecks = [
  defineCheck({
    id: 'sec-01-https',
    requirement: 'SEC-01',
    uses,
    // Judged from the URLs alone: whether the partner answers does not change their scheme.
    needs: [],
    async run(ctx, { tokenUrl }) {
      const insecure = ctx.options.allowInsecureHttp
        ? ' (--allow-insecure-http was given, so this run is not certifiable either way)'
        : '';
      const urls = await partnerUrls(ctx, tokenUrl);
      const outcomes = urls.map((u): Outcome => {
        const scheme = new URL(u.url).protocol;
        return scheme === 'https:'
          ? pass(`the ${u.name} ${u.url} is https`, { subject: u.name, evidence: [] })
          : fail(`the ${u.name} ${u.url} is ${scheme.replace(':', '')}, not https${insecure}`, {
              subject: u.name,
              evidence: [],
            });
      });
      if (urls.length < 2) {
        outcomes.push(
          skip(
            'the token URL is not known (the capability statement names none), so its scheme was not checked',
            {
              subject: 'token URL',
              evidence: [],
            },
          ),
        );
      }
      return outcomes;
    },
  }),
  defineCheck({
    id: 'sec-02-tls',
    requirement: 'SEC-02',
    uses,
    // A handshake that fails is this row's own failure, not a reason to skip it.
    needs: ['connection'],
    async run(ctx, { tokenUrl }) {
      const outcomes: Outcome[] = [];
      for (const endpoint of await tlsEndpoints(ctx, tokenUrl)) {
        if ('url' in endpoint) {
          outcomes.push(
            na(`the ${endpoint.url.name} is plain http: there is no TLS to check (SEC-01 fails for it)`, {
              subject: endpoint.url.name,
              evidence: [],
            }),
          );
          continue;
        }
        const opts = {
          timeoutMs: ctx.options.timeoutMs,
          signal: ctx.signal,
          ...(ctx.options.ca ? { ca: ctx.options.ca } : {}),
        };
        const current = await probeTls(endpoint.target, { ...opts, offer: 'current' });
        const legacy = await probeTls(endpoint.target, { ...opts, offer: 'legacy' });
        outcomes.push(currentTls(ctx, endpoint, current, legacy), legacyTlsRefused(endpoint, legacy));
      }
      return outcomes;
    },
  }),
];

type Endpoint = { target: TlsTarget; names: string[] };

const subjectOf = ({ target, names }: Endpoint): string => `${endpointName(target)} (${names.join(', ')})`;

/** TLS 1.2 or newer, with a certificate that validates. */
function currentTls(
  ctx: RunContext,
  endpoint: Endpoint,
  current: TlsProbeResult,
  legacy: TlsProbeResult,
): Outcome {
  const { target } = endpoint;
  const subject = subjectOf(endpoint);
  const evidence = [tlsEvidence(current, 'TLS 1.2/1.3 offered')];
  if (!current.protocol) {
    evidence.push(tlsEvidence(legacy, 'TLS 1.0/1.1 offered'));
    return fail(
      legacy.protocol
        ? `${endpointName(target)} speaks only ${legacy.protocol}; TLS 1.2 or newer is required`
        : `no TLS 1.2/1.3 handshake with ${endpointName(target)}: ${current.error?.code ?? ''} ${current.error?.message ?? ''}`.trim(),
      { subject, evidence },
    );
  }
  if (!current.authorized) {
    return fail(
      `${endpointName(target)} negotiated ${current.protocol}, but its certificate does not validate against ${trustHint(ctx)}: ${current.authorizationError ?? 'unknown reason'}`,
      { subject, evidence },
    );
  }
  return pass(
    `${endpointName(target)} negotiated ${current.protocol} and its certificate (CN=${current.certificate?.subject ?? '?'}) validates against ${ctx.options.ca ? 'the system store and --ca' : 'the system store'}`,
    { subject, evidence },
  );
}

/**
 * "TLS 1.2 or newer" read strictly: a client that offers only TLS 1.0/1.1 is refused. Accepting it is a
 * warning (the app never offers it), in its own row so the certificate verdict stays readable.
 */
function legacyTlsRefused(endpoint: Endpoint, legacy: TlsProbeResult): Outcome {
  const subject = `${subjectOf(endpoint)} TLS 1.0/1.1`;
  const evidence = [tlsEvidence(legacy, 'TLS 1.0/1.1 offered')];
  const name = endpointName(endpoint.target);
  return legacy.protocol
    ? warn(
        `${name} still accepts ${legacy.protocol} from a client that offers nothing newer; disable TLS 1.0 and 1.1`,
        { subject, evidence, level: 'recommended' },
      )
    : pass(`${name} refuses a client that offers only TLS 1.0/1.1`, {
        subject,
        evidence,
        level: 'recommended',
      });
}
