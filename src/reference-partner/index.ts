/**
 * The embedded reference partner: a real FHIR endpoint on node:http(s) with a token endpoint, two
 * tenants of synthetic DSTU2 and STU3 data, reads, searches and batch, conformant by default, and
 * named faults that each break one requirement. `fhir-certify demo` certifies it; the test suite
 * switches faults on to prove every check can fail.
 */
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { capabilityStatement } from './capability.js';
import { listFaults, parseFaults } from './faults/index.js';
import type { ActiveFaults } from './faults/index.js';
import { ClientRegistry, generateSecret } from './oauth.js';
import { Prng } from './prng.js';
import { createHandler } from './server.js';
import type { ServerState } from './server.js';
import { buildStore } from './store.js';
import type { TenantStore } from './store.js';
import { generateTenant } from './synthetic.js';
import { TokenService } from './tokens.js';
import type { Variant } from './variations.js';
import { listVariations, parseVariant } from './variations.js';
import type { FhirVersion } from './versions.js';
import type { ReferencePartner, ReferencePartnerOptions } from './partner.js';
import { VERSIONS } from './versions.js';

export { listFaults, listVariations };
export { VARIANTS } from './variations.js';
export type { FaultInfo } from './faults/index.js';
export type { Variant, Variation } from './variations.js';
export type { FhirVersion } from './versions.js';
export type { ReferencePartner, ReferencePartnerOptions } from './partner.js';

export const DEFAULT_CLIENT_ID = 'fhir-certify-demo-client';
export const DEFAULT_SEED = 20_250_115;

function positiveInt(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

function originOf(scheme: string, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${h}:${port}`;
}

export async function startReferencePartner(
  options: ReferencePartnerOptions = {},
): Promise<ReferencePartner> {
  const faults = parseFaults(options.faults);
  const variant = parseVariant(options.variant);
  const host = options.host ?? '127.0.0.1';
  const port = positiveInt('port', options.port, 0, 0);
  const patients = positiveInt('patientsPerTenant', options.patientsPerTenant, 12, 1);
  const ttl = positiveInt('tokenTtlSeconds', options.tokenTtlSeconds, 3600, 1);
  const delayMs = positiveInt('delayMs', options.delayMs, 0, 0);
  const seed = options.seed ?? DEFAULT_SEED;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? generateSecret();
  if (clientId === '' || clientSecret === '') throw new Error('clientId and clientSecret must not be empty');

  const rng = new Prng(seed);
  const tenantIds = [rng.guid(), rng.guid()] as [string, string];
  let prefixes = [rng.hex(6), rng.hex(6)];
  while (prefixes[0] === prefixes[1]) prefixes = [prefixes[0] ?? 'a', rng.hex(6)];
  // The unusual variant numbers both tenants' resources alike: ids collide, contents differ.
  const idPrefix = (i: number): string => `t${variant === 'unusual' ? prefixes[0] : prefixes[i]}`;
  const data = tenantIds.map((tid, i) =>
    generateTenant(new Prng(seed + 7919 * (i + 1)), tid, idPrefix(i), i, patients),
  );

  // Filled once the origin is known (the unusual variant writes absolute references), before any request.
  const stores = {} as Record<FhirVersion, Map<string, TenantStore>>;

  const scheme = options.tls ? 'https' : 'http';
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  // The origin is only known after listen(); the state is completed then, before any request can arrive.
  const state: ServerState = {
    faults,
    origin: '',
    scheme,
    wildcard,
    delayMs,
    tenants: tenantIds,
    stores,
    tokens: undefined as unknown as TokenService,
    clients: new ClientRegistry(clientId, clientSecret),
    capability: cachedCapability(faults, variant),
    inFlight: 0,
    unusual: variant === 'unusual',
  };
  const handler = createHandler(state);
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) {
      const body = JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'structure', diagnostics: 'malformed HTTP request' }],
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/fhir+json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host === '' ? undefined : host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const origin = originOf(scheme, wildcard ? '127.0.0.1' : host, address.port);
  state.origin = origin;
  state.tokens = new TokenService(origin, ttl, faults, variant === 'unusual');
  for (const version of VERSIONS) {
    const storeOptions = { variant, base: `${origin}/${version}` };
    stores[version] = new Map(data.map((d) => [d.tenantId, buildStore(d, version, faults, storeOptions)]));
  }

  let closed: Promise<void> | undefined;
  return {
    origin,
    baseUrl: (version) => `${origin}/${version}`,
    tokenUrl: `${origin}/oauth/token`,
    clientId,
    get clientSecret() {
      return state.clients.currentSecret;
    },
    tenants: tenantIds,
    rotationUrl: `${origin}/oauth/rotate`,
    faults: faults.names,
    variant,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function cachedCapability(faults: ActiveFaults, variant: Variant): ServerState['capability'] {
  const cache = new Map<string, string>();
  return (version, origin) => {
    const key = `${version} ${origin}`;
    let json = cache.get(key);
    if (json === undefined) {
      json = JSON.stringify(
        capabilityStatement(version, `${origin}/oauth/token`, `${origin}/oauth/authorize`, faults, variant),
      );
      if (cache.size > 64) cache.clear();
      cache.set(key, json);
    }
    return json;
  };
}
