/**
 * The partner: @asymmetrik/node-fhir-server-core serving the HL7 examples for DSTU2 (`/1_0_2`) and
 * STU3 (`/3_0_1`) over plain http on a loopback port, with @node-oauth/oauth2-server issuing the
 * tokens. The framework builds the capability statement, parses and sanitizes queries, routes reads
 * and searches to the services, authenticates through passport and writes the OperationOutcomes;
 * the glue adds the data, the token endpoint, and batch (which the framework lacks, see batch.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { batchHandler } from './batch.js';
import { loadExamples } from './examples.js';
import {
  completeFrameworkIndexes,
  core,
  frameworkStatement,
  passport,
  type BaseVersion,
  type ExpressApp,
  type ServerConfig,
} from './libraries.js';
import { oauthGlue } from './oauth.js';
import { makeService, type Stores } from './services.js';

export interface PartnerSettings {
  /** `fhir-examples/`, holding `dstu2/` and `stu3/`. */
  examples: string;
  tenants: readonly [string, string];
  clientId: string;
  clientSecret: string;
  tokenLifetimeS: number;
}

export interface RunningPartner {
  origin: string;
  /** Example files not served, with why. */
  left: string[];
  rotate(secret: string): void;
  close(): Promise<void>;
}

const FOLDERS: Record<BaseVersion, string> = { '1_0_2': 'dstu2', '3_0_1': 'stu3' };

/** Every type both versions serve, and the medication order type each version names. */
const TYPES: Record<string, BaseVersion[]> = {
  Patient: ['1_0_2', '3_0_1'],
  Observation: ['1_0_2', '3_0_1'],
  Condition: ['1_0_2', '3_0_1'],
  Encounter: ['1_0_2', '3_0_1'],
  AllergyIntolerance: ['1_0_2', '3_0_1'],
  Coverage: ['1_0_2', '3_0_1'],
  Location: ['1_0_2', '3_0_1'],
  Practitioner: ['1_0_2', '3_0_1'],
  MedicationStatement: ['1_0_2', '3_0_1'],
  MedicationOrder: ['1_0_2'],
  MedicationRequest: ['3_0_1'],
};

/**
 * The framework's own statement, plus the batch the glue serves: STU3 lists a `batch` interaction;
 * DSTU2 has no such code, so there the rest entry's `transactionMode` says `batch`.
 */
function statementWithBatch(base: BaseVersion): ReturnType<NonNullable<ServerConfig['statementGenerator']>> {
  const own = frameworkStatement(base);
  return {
    securityStatement: own.securityStatement,
    makeStatement: (rest) =>
      own.makeStatement(
        base === '1_0_2'
          ? { ...rest, transactionMode: 'batch' }
          : { ...rest, interaction: [{ code: 'batch' }] },
      ),
  };
}

export async function startPartner(settings: PartnerSettings): Promise<RunningPartner> {
  const stores: Stores = new Map();
  const left: string[] = [];
  for (const [base, folder] of Object.entries(FOLDERS) as [BaseVersion, string][]) {
    const split = loadExamples(join(settings.examples, folder), settings.tenants);
    stores.set(base, split.tenants);
    left.push(...split.left.map((l) => `${folder}/${l}`));
  }

  // The token URL in the capability statement needs the port, so the socket listens before the
  // framework is configured, and answers 503 until it is.
  const handler: { app?: ExpressApp } = {};
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (handler.app) handler.app(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  completeFrameworkIndexes();
  const oauth = oauthGlue(settings);
  const config: ServerConfig = {
    profiles: Object.fromEntries(
      Object.entries(TYPES).map(([type, versions]) => [
        type,
        { service: makeService(stores, type), versions },
      ]),
    ),
    security: [{ url: 'token', valueUri: `${origin}/oauth/token` }],
    auth: { strategy: { name: 'bearer', useSession: false } },
    server: {},
    logging: { level: 'error' },
    statementGenerator: statementWithBatch,
  };
  const fhir = new core.Server(config).configureMiddleware().configureSession().configureHelmet();
  // The framework's configurePassport() would require() a strategy module by file path; the glue
  // registers its strategy object on the framework's passport instance instead.
  passport.use(oauth.strategy);
  fhir.app.post('/oauth/token', oauth.token);
  fhir.app.post('/:base_version', passport.authenticate('bearer', { session: false }), batchHandler(origin));
  fhir.setPublicDirectory().setProfileRoutes().setErrorRoutes();
  handler.app = fhir.app;

  return {
    origin,
    left,
    rotate: (secret) => oauth.rotate(secret),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
