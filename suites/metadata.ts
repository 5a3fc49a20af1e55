/**
 * META: the capability statement. It is the one unauthenticated request; everything after it pivots
 * on what it declares: the FHIR version, the token URL, the resources and searches.
 */
import { defineChecks, fail, pass, warn, type Outcome } from '../src/engine/check.js';
import { endpointOf, unreachableCause, unreachableMessage } from '../src/engine/diagnosis.js';
import { readOnlyBy, type FhirVersion } from '../src/engine/state.js';
import { contentType, describe, keptAnswer, type KeptAnswer } from '../src/http/exchange.js';
import type { Evidence } from '../src/report/model.js';
import {
  RESTFUL_SECURITY_SERVICE,
  absoluteHttpUrl,
  array,
  brief,
  interactionCodes,
  isObject,
  oauthUris,
  objects,
  resourceEntry,
  searchParamNames,
  serverRest,
  str,
  type Json,
} from '../src/fhir/capability.js';
import {
  capabilityType,
  fhirJsonMediaType,
  medicationOrderType,
  versionFromDeclared,
} from '../src/fhir/version.js';
import { defaultProfileName, loadProfile } from '../src/profile/load.js';
import type { Profile } from '../src/profile/model.js';

declare module '../src/engine/state.js' {
  interface RunState {
    /** The capability statement as the partner sent it (META-01); only META reads it, and it is dropped after. */
    capability?: Json;
    /** The `rest` entry with mode = server (META-03). */
    restServer?: Json;
    /** The metadata exchange's masked evidence, shown again by rows that judge its content. */
    metadataEvidence?: Evidence;
    metadataExchange?: KeptAnswer;
    profile?: Profile;
  }
}

const JSON_FORMATS = new Set(['json', 'application/json', 'application/json+fhir', 'application/fhir+json']);

function metadataUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/metadata`;
}

/** Rows that judge the statement's content show the exchange it came from when they fail. */
function judged(outcome: Outcome, evidence: Evidence | undefined): Outcome {
  return outcome.status === 'pass' || !evidence
    ? { ...outcome, evidence: [] }
    : { ...outcome, evidence: [evidence] };
}

function versionOf(ctx: { state: { fhirVersion?: FhirVersion } }): FhirVersion {
  return ctx.state.fhirVersion ?? 'stu3';
}

export const metadataChecks = defineChecks([
  {
    id: 'meta-01-metadata',
    requirement: 'META-01',
    title: 'GET metadata without Authorization answers a JSON capability statement',
    async run(ctx) {
      const url = metadataUrl(ctx.options.baseUrl);
      const res = await ctx.http.request({ url });
      ctx.state.metadataEvidence = res.evidence;
      ctx.state.metadataExchange = keptAnswer(res);
      const cause = unreachableCause(res);
      if (cause) {
        // The one row that fails for it: every check after this one is skipped naming the cause.
        const message = unreachableMessage(url, res);
        ctx.state.diagnosis = { kind: 'unreachable', message, requirement: 'META-01', cause };
        return fail(
          `could not reach ${endpointOf(url)}: expected HTTP 200 from ${url}, got ${describe(res)}`,
        );
      }
      if (res.status === 401 || res.status === 403) {
        return fail(
          `metadata answered HTTP ${res.status} without a token; the capability statement must be open`,
        );
      }
      if (res.status !== 200)
        return fail(`expected HTTP 200 from ${metadataUrl(ctx.options.baseUrl)}, got ${describe(res)}`);
      const parsed = res.json();
      if (!parsed.ok) return fail(`metadata answered 200 but ${parsed.reason}`);
      if (!isObject(parsed.value)) return fail('metadata answered 200 but the JSON is not an object');
      const type = parsed.value.resourceType;
      if (type !== 'Conformance' && type !== 'CapabilityStatement') {
        return fail(
          `expected resourceType Conformance (DSTU2) or CapabilityStatement (STU3), got ${brief(type ?? null)}`,
        );
      }
      ctx.state.capability = parsed.value;
      readOnlyBy(ctx.state, 'capability', metadataCheckIds);
      return pass(`HTTP 200 with a ${type}, no Authorization header sent`);
    },
  },
  {
    id: 'meta-02-fhir-version',
    requirement: 'META-02',
    title: 'fhirVersion is present and is 1.0.x or 3.0.x',
    requires: ['meta-01-metadata'],
    // It chooses the FHIR version and the profile the report is about.
    recordsTarget: true,
    async run(ctx) {
      const capability = ctx.state.capability!;
      const declared = capability.fhirVersion;
      const detected = versionFromDeclared(declared);
      const forced = ctx.options.fhirVersion === 'auto' ? undefined : ctx.options.fhirVersion;
      let outcome: Outcome;
      if (declared === undefined) {
        outcome = fail('the capability statement has no fhirVersion; declare 1.0.2 (DSTU2) or 3.0.1 (STU3)');
      } else if (!detected) {
        outcome = fail(
          `fhirVersion ${brief(declared)} has no profile here: only 1.0.x (DSTU2) and 3.0.x (STU3) can be certified`,
        );
      } else if (capability.resourceType !== capabilityType[detected]) {
        outcome = fail(
          `fhirVersion ${String(declared)} is ${detected.toUpperCase()}, whose capability statement is a ${capabilityType[detected]}, but the partner sent a ${String(capability.resourceType)}`,
        );
      } else {
        outcome = pass(
          `fhirVersion ${String(declared)}: ${detected.toUpperCase()}${forced && forced !== detected ? `, but the run was told to certify ${forced.toUpperCase()}` : ''}`,
        );
      }
      const version = forced ?? detected ?? undefined;
      if (version) {
        ctx.state.fhirVersion = version;
        ctx.state.fhirVersionString = typeof declared === 'string' ? declared : undefined;
        ctx.state.profile ??= loadProfile(ctx.options.profile ?? defaultProfileName(version));
      }
      return judged(outcome, ctx.state.metadataEvidence);
    },
  },
  {
    id: 'meta-03-rest-server',
    requirement: 'META-03',
    title: 'rest[] has an entry with mode = server',
    requires: ['meta-01-metadata'],
    async run(ctx) {
      const rest = serverRest(ctx.state.capability!);
      if (!rest) {
        const modes = objects(ctx.state.capability!.rest).map((r) =>
          typeof r.mode === 'string' ? r.mode : brief(r.mode),
        );
        return judged(
          fail(
            `no rest entry has mode "server" (found ${modes.length ? modes.join(', ') : 'no rest entries'})`,
          ),
          ctx.state.metadataEvidence,
        );
      }
      ctx.state.restServer = rest;
      return pass('rest[] has a server entry');
    },
  },
  {
    id: 'meta-04-oauth-uris',
    requirement: 'META-04',
    title: 'security declares the SMART oauth-uris extension with an absolute token URL',
    requires: ['meta-03-rest-server'],
    async run(ctx) {
      const uris = oauthUris(ctx.state.restServer!);
      let outcome: Outcome;
      if (!uris.found) {
        outcome = fail(
          'rest.security.extension has no oauth-uris extension (http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris)',
        );
      } else if (uris.token === undefined) {
        outcome = fail('the oauth-uris extension has no "token" sub-extension with a valueUri');
      } else if (!absoluteHttpUrl(uris.token)) {
        outcome = fail(`the token valueUri ${JSON.stringify(uris.token)} is not an absolute http(s) URL`);
      } else {
        ctx.state.tokenUrl = uris.token;
        outcome = pass(`token URL ${uris.token}${uris.authorize ? `, authorize URL ${uris.authorize}` : ''}`);
      }
      return judged(outcome, ctx.state.metadataEvidence);
    },
  },
  {
    id: 'meta-05-oauth-service',
    requirement: 'META-05',
    title: 'security.service has the OAuth coding',
    requires: ['meta-03-rest-server'],
    async run(ctx) {
      const security = ctx.state.restServer!.security;
      const codings = objects(isObject(security) ? security.service : undefined).flatMap((s) =>
        objects(s.coding),
      );
      const oauth = codings.find((c) => c.code === 'OAuth' && c.system === RESTFUL_SECURITY_SERVICE);
      if (oauth) return pass('security.service declares OAuth');
      const near = codings.find((c) => str(c.code)?.toLowerCase() === 'oauth');
      return judged(
        warn(
          near
            ? `security.service has code ${JSON.stringify(near.code)} with system ${brief(near.system ?? null)}; expected code "OAuth" with system ${RESTFUL_SECURITY_SERVICE}`
            : `security.service has no coding with code "OAuth" and system ${RESTFUL_SECURITY_SERVICE}`,
        ),
        ctx.state.metadataEvidence,
      );
    },
  },
  {
    id: 'meta-06-patient',
    requirement: 'META-06',
    title: 'Patient is listed with read and search-type',
    requires: ['meta-03-rest-server'],
    async run(ctx) {
      const entry = resourceEntry(ctx.state.restServer!, 'Patient');
      if (!entry) return judged(fail('rest.resource does not list Patient'), ctx.state.metadataEvidence);
      const missing = missingInteractions(entry, ['read', 'search-type']);
      return missing.length
        ? judged(fail(`Patient lacks the interaction(s) ${missing.join(', ')}`), ctx.state.metadataEvidence)
        : pass('Patient: read and search-type');
    },
  },
  {
    id: 'meta-07-resources',
    requirement: 'META-07',
    title: 'the other resources the app reads are listed with read and search-type',
    requires: ['meta-02-fhir-version', 'meta-03-rest-server'],
    async run(ctx) {
      const types = recommendedTypes(ctx.state.profile, versionOf(ctx));
      return types.map((type): Outcome => {
        const entry = resourceEntry(ctx.state.restServer!, type);
        const missing = entry ? missingInteractions(entry, ['read', 'search-type']) : [];
        const outcome = !entry
          ? fail(`${type} is not listed in rest.resource`)
          : missing.length
            ? fail(`${type} lacks the interaction(s) ${missing.join(', ')}`)
            : pass(`${type}: read and search-type`);
        return judged({ ...outcome, subject: type }, ctx.state.metadataEvidence);
      });
    },
  },
  {
    id: 'meta-08-batch',
    requirement: 'META-08',
    title: 'batch is declared',
    requires: ['meta-02-fhir-version', 'meta-03-rest-server'],
    async run(ctx) {
      const rest = ctx.state.restServer!;
      const codes = interactionCodes(rest);
      if (versionOf(ctx) === 'stu3') {
        return codes.has('batch')
          ? pass('rest.interaction lists batch')
          : judged(
              fail('rest.interaction does not list "batch" (STU3 declares batch as a system interaction)'),
              ctx.state.metadataEvidence,
            );
      }
      const mode = str(rest.transactionMode);
      if (mode === 'batch' || mode === 'both') return pass(`rest.transactionMode is ${mode}`);
      if (codes.has('batch')) return pass('rest.interaction lists batch');
      return judged(
        fail(
          `DSTU2 declares batch with rest.transactionMode "batch" or "both"; found ${mode ? JSON.stringify(mode) : 'no transactionMode'} and no batch interaction`,
        ),
        ctx.state.metadataEvidence,
      );
    },
  },
  {
    id: 'meta-09-patient-search-params',
    requirement: 'META-09',
    title: 'Patient declares the search parameters the app uses',
    requires: ['meta-02-fhir-version', 'meta-06-patient'],
    async run(ctx) {
      const wanted = patientSearchParams(ctx.state.profile, versionOf(ctx));
      const declared = searchParamNames(resourceEntry(ctx.state.restServer!, 'Patient'));
      const missing = wanted.filter((p) => !declared.has(p));
      return missing.length
        ? judged(
            warn(`Patient does not declare the search parameter(s) ${missing.join(', ')}`),
            ctx.state.metadataEvidence,
          )
        : pass(`Patient declares ${wanted.join(', ')}`);
    },
  },
  {
    id: 'meta-10-json-format',
    requirement: 'META-10',
    title: 'JSON format is declared and responses carry a FHIR JSON media type',
    requires: ['meta-02-fhir-version'],
    async run(ctx) {
      const formats = array(ctx.state.capability!.format).map((f) =>
        (typeof f === 'string' ? f : '').split(';')[0]!.trim().toLowerCase(),
      );
      const version = versionOf(ctx);
      const expected = fhirJsonMediaType[version];
      const served = ctx.state.metadataExchange ? contentType(ctx.state.metadataExchange) : '';
      const problems: string[] = [];
      if (!formats.some((f) => JSON_FORMATS.has(f))) {
        problems.push(`format ${JSON.stringify(formats)} does not include JSON`);
      }
      if (served !== expected) {
        problems.push(
          served === 'application/json' ||
            served === 'application/fhir+json' ||
            served === 'application/json+fhir'
            ? `metadata was served as ${served}; ${version.toUpperCase()} media type is ${expected}`
            : `metadata was served as ${served || 'no Content-Type'}, not a JSON media type (${expected})`,
        );
      }
      return problems.length
        ? judged(warn(problems.join('; ')), ctx.state.metadataEvidence)
        : pass(`format includes JSON and metadata is served as ${expected}`);
    },
  },
]);

function missingInteractions(entry: Json, wanted: string[]): string[] {
  const codes = interactionCodes(entry);
  return wanted.filter((w) => !codes.has(w));
}

function recommendedTypes(profile: Profile | undefined, version: FhirVersion): string[] {
  if (profile) return profile.resources.filter((r) => r.level === 'recommended').map((r) => r.type);
  return [
    'Observation',
    'Condition',
    'Encounter',
    'AllergyIntolerance',
    'Coverage',
    'Location',
    medicationOrderType[version],
  ];
}

function patientSearchParams(profile: Profile | undefined, version: FhirVersion): string[] {
  const fromProfile = profile?.resources.find((r) => r.type === 'Patient')?.searchParams;
  if (fromProfile) return fromProfile;
  return ['_id', 'family', 'given', 'birthdate', 'identifier', version === 'dstu2' ? 'name' : 'gender'];
}

/** The checks that read `state.capability`: it is dropped once they have run. */
const metadataCheckIds: ReadonlySet<string> = new Set(metadataChecks.map((check) => check.id));
