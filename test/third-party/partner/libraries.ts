/**
 * The third-party libraries the partner is built from, loaded as the CommonJS they are. The FHIR
 * framework ships no type declarations, so each surface the glue touches is typed here, no wider.
 * passport and passport-http-bearer are resolved from the framework's own folder: its authentication
 * middleware calls `passport.authenticate` on its own instance, so the strategy must be registered on
 * exactly that one.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);
const CORE = '@asymmetrik/node-fhir-server-core';
const fromCore = createRequire(require.resolve(CORE));

export type Json = Record<string, unknown>;

/** The framework's version keys: its routes are `/:base_version/...`. */
export type BaseVersion = '1_0_2' | '3_0_1';

/** What the framework hands a service: sanitized search arguments and the express request. */
export interface ServiceContext {
  req: ExpressRequest;
}

export interface ProfileService {
  search?(args: Record<string, unknown>, context: ServiceContext): Promise<Json>;
  searchById?(args: Record<string, unknown>, context: ServiceContext): Promise<Json>;
}

export interface ServerConfig {
  profiles: Record<string, { service: ProfileService; versions: BaseVersion[] }>;
  security?: { url: string; valueUri: string }[];
  auth?: { strategy: { name: string; useSession: boolean } };
  server?: Record<string, unknown>;
  logging?: { level: string };
  statementGenerator?: (base: BaseVersion) => StatementGenerator;
}

export interface StatementGenerator {
  makeStatement(rest: Json): Json;
  securityStatement(urls: { url: string; valueUri: string }[]): Json;
}

export interface ExpressRequest extends IncomingMessage {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  user?: unknown;
  protocol: string;
  get(field: string): string | undefined;
}

export interface ExpressResponse extends ServerResponse {
  status(code: number): ExpressResponse;
  set(headers: Record<string, string>): ExpressResponse;
  type(type: string): ExpressResponse;
  json(body: unknown): ExpressResponse;
}

export type Handler = (req: ExpressRequest, res: ExpressResponse, next: (err?: unknown) => void) => void;

export interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  post(path: string, ...handlers: Handler[]): void;
}

/** The framework's Server class, driven step by step so the glue's routes go before its 404 handler. */
export interface FhirServer {
  app: ExpressApp;
  configureMiddleware(): FhirServer;
  configureSession(): FhirServer;
  configureHelmet(): FhirServer;
  setPublicDirectory(): FhirServer;
  setProfileRoutes(): FhirServer;
  setErrorRoutes(): FhirServer;
}

interface FhirServerCore {
  Server: new (config: ServerConfig) => FhirServer;
  ServerError: new (message: string, options: Json) => Error;
}

export const core = require(CORE) as FhirServerCore;

/**
 * The framework ships the schema, search parameters and controller of AllergyIntolerance (DSTU2 and
 * STU3) and MedicationOrder (DSTU2), and the DSTU2 Conformance schema, but its per-version index
 * modules leave them out: configuring either profile throws "is an invalid profile configuration",
 * and the DSTU2 `metadata` answers 500 "Conformance is not a constructor". The glue adds the shipped
 * modules to those index objects (shared through require's cache) before any route is built.
 */
export function completeFrameworkIndexes(): void {
  const root = `${CORE}/dist/server/resources`;
  const profile = (version: BaseVersion, type: string): [BaseVersion, string, string][] => [
    [version, 'schemas', type],
    [version, 'parameters', type],
    [version, 'controllers', type],
  ];
  const missing = [
    ...profile('1_0_2', 'allergyintolerance'),
    ...profile('3_0_1', 'allergyintolerance'),
    ...profile('1_0_2', 'medicationorder'),
    ['1_0_2', 'schemas', 'conformance'] as const,
  ];
  const suffix: Record<string, string> = {
    schemas: '',
    parameters: '.parameters',
    controllers: '.controller',
  };
  for (const [version, index, name] of missing) {
    const modules = require(`${root}/${version}/${index}/index.js`) as Record<string, unknown>;
    modules[name] ??= require(`${root}/${version}/${index}/${name}${suffix[index]!}.js`);
  }
}

/** One search parameter as the framework defines it (name, FHIR type, element path). */
export interface SearchParameter {
  name: string;
  type: string;
  fhirtype?: string;
  xpath?: string;
}

export const frameworkParams = require(`${CORE}/dist/server/utils/params.utils.js`) as {
  getSearchParameters(profile: string, version: BaseVersion): SearchParameter[];
};

/** The framework's own capability statement generator for a version, which the glue wraps. */
export function frameworkStatement(base: BaseVersion): StatementGenerator {
  return require(`${CORE}/dist/server/metadata/capability.${base}.js`) as StatementGenerator;
}

interface Passport {
  use(strategy: unknown): void;
  authenticate(name: string, options: { session: boolean }): Handler;
}

type BearerVerify = (
  req: ExpressRequest,
  token: string,
  done: (err: unknown, user?: unknown) => void,
) => void;

export const passport = fromCore('passport') as Passport;
export const BearerStrategy = fromCore('passport-http-bearer').Strategy as new (
  options: { passReqToCallback: true },
  verify: BearerVerify,
) => unknown;
