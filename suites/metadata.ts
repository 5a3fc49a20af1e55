/**
 * META: the capability statement. It is the one unauthenticated request; everything after it pivots
 * on what it declares: the FHIR version, the token URL, the resources and searches.
 */
import { defineCheck, fail, pass, warn, type Outcome } from '../src/engine/check.js';
import { endpointOf, unreachableCause, unreachableMessage } from '../src/engine/diagnosis.js';
import type { FhirVersion } from '../src/core/fhir-version.js';
import { contentType, describe, keptAnswer } from '../src/http/exchange.js';
import type { Evidence } from '../src/core/model.js';
import { array, brief, isObject, objects, str, type Json } from '../src/core/json.js';
import {
  RESTFUL_SECURITY_SERVICE,
  absoluteHttpUrl,
  interactionCodes,
  oauthUris,
  resourceEntry,
  searchParamNames,
  serverRest,
} from '../src/fhir/capability.js';
import { capabilityType, fhirJsonMediaType, versionFromDeclared } from '../src/fhir/version.js';
import { loadValidator } from '../src/fhir/validate.js';
import { defaultProfileName, loadProfile } from '../src/profile/load.js';
import type { Profile } from '../src/profile/model.js';
import {
  capabilityStatement,
  fhirVersion,
  metadataServed,
  patientListed,
  profile,
  restServer,
  tokenUrl,
} from '../src/partner/facts.js';

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

export const metadataChecks = [
  defineCheck({
    id: 'meta-01-metadata',
    requirement: 'META-01',
    provides: [capabilityStatement, metadataServed],
    async run(ctx) {
      const url = metadataUrl(ctx.options.baseUrl);
      const res = await ctx.http.request({ url });
      const cause = unreachableCause(res);
      if (cause) {
        // The one row that fails for it: every check after this one is skipped naming the cause.
        const message = unreachableMessage(url, res);
        ctx.diagnose({ kind: 'unreachable', message, requirement: 'META-01', cause });
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
      ctx.provide(metadataServed, true);
      ctx.provide(capabilityStatement, {
        statement: parsed.value,
        answer: keptAnswer(res),
        evidence: res.evidence,
      });
      return pass(`HTTP 200 with a ${type}, no Authorization header sent`);
    },
  }),
  defineCheck({
    id: 'meta-02-fhir-version',
    requirement: 'META-02',
    uses: { capability: capabilityStatement },
    provides: [fhirVersion, profile],
    // It chooses the FHIR version and the profile the report is about.
    recordsTarget: true,
    async run(ctx, { capability: { statement: capability, evidence } }) {
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
        ctx.provide(fhirVersion, { version, declared: typeof declared === 'string' ? declared : undefined });
        ctx.provide(profile, loadProfile(ctx.options.profile ?? defaultProfileName(version)));
        await loadValidator(version);
      }
      return judged(outcome, evidence);
    },
  }),
  defineCheck({
    id: 'meta-03-rest-server',
    requirement: 'META-03',
    uses: { capability: capabilityStatement },
    provides: [restServer],
    async run(ctx, { capability: { statement, evidence } }) {
      const rest = serverRest(statement);
      if (!rest) {
        const modes = objects(statement.rest).map((r) =>
          typeof r.mode === 'string' ? r.mode : brief(r.mode),
        );
        return judged(
          fail(
            `no rest entry has mode "server" (found ${modes.length ? modes.join(', ') : 'no rest entries'})`,
          ),
          evidence,
        );
      }
      ctx.provide(restServer, rest);
      return pass('rest[] has a server entry');
    },
  }),
  defineCheck({
    id: 'meta-04-oauth-uris',
    requirement: 'META-04',
    uses: { rest: restServer, capability: capabilityStatement },
    provides: [tokenUrl],
    async run(ctx, { rest, capability: { evidence } }) {
      const uris = oauthUris(rest);
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
        ctx.provide(tokenUrl, uris.token);
        outcome = pass(`token URL ${uris.token}${uris.authorize ? `, authorize URL ${uris.authorize}` : ''}`);
      }
      return judged(outcome, evidence);
    },
  }),
  defineCheck({
    id: 'meta-05-oauth-service',
    requirement: 'META-05',
    uses: { rest: restServer, capability: capabilityStatement },
    async run(_ctx, { rest, capability: { evidence } }) {
      const security = rest.security;
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
        evidence,
      );
    },
  }),
  defineCheck({
    id: 'meta-06-patient',
    requirement: 'META-06',
    uses: { rest: restServer, capability: capabilityStatement },
    provides: [patientListed],
    async run(ctx, { rest, capability: { evidence } }) {
      const entry = resourceEntry(rest, 'Patient');
      if (!entry) return judged(fail('rest.resource does not list Patient'), evidence);
      const missing = missingInteractions(entry, ['read', 'search-type']);
      if (missing.length)
        return judged(fail(`Patient lacks the interaction(s) ${missing.join(', ')}`), evidence);
      ctx.provide(patientListed, entry);
      return pass('Patient: read and search-type');
    },
  }),
  defineCheck({
    id: 'meta-07-resources',
    requirement: 'META-07',
    uses: { profile, rest: restServer, capability: capabilityStatement },
    async run(_ctx, { profile, rest, capability: { evidence } }) {
      const types = recommendedTypes(profile);
      return types.map((type): Outcome => {
        const entry = resourceEntry(rest, type);
        const missing = entry ? missingInteractions(entry, ['read', 'search-type']) : [];
        const outcome = !entry
          ? fail(`${type} is not listed in rest.resource`)
          : missing.length
            ? fail(`${type} lacks the interaction(s) ${missing.join(', ')}`)
            : pass(`${type}: read and search-type`);
        return judged({ ...outcome, subject: type }, evidence);
      });
    },
  }),
  defineCheck({
    id: 'meta-08-batch',
    requirement: 'META-08',
    uses: { version: fhirVersion, rest: restServer, capability: capabilityStatement },
    async run(_ctx, { version, rest, capability: { evidence } }) {
      const codes = interactionCodes(rest);
      if (version.version === 'stu3') {
        return codes.has('batch')
          ? pass('rest.interaction lists batch')
          : judged(
              fail('rest.interaction does not list "batch" (STU3 declares batch as a system interaction)'),
              evidence,
            );
      }
      const mode = str(rest.transactionMode);
      if (mode === 'batch' || mode === 'both') return pass(`rest.transactionMode is ${mode}`);
      if (codes.has('batch')) return pass('rest.interaction lists batch');
      return judged(
        fail(
          `DSTU2 declares batch with rest.transactionMode "batch" or "both"; found ${mode ? JSON.stringify(mode) : 'no transactionMode'} and no batch interaction`,
        ),
        evidence,
      );
    },
  }),
  defineCheck({
    id: 'meta-09-patient-search-params',
    requirement: 'META-09',
    uses: { version: fhirVersion, profile, patient: patientListed, capability: capabilityStatement },
    async run(_ctx, { version, profile, patient, capability: { evidence } }) {
      const wanted = patientSearchParams(profile, version.version);
      const declared = searchParamNames(patient);
      const missing = wanted.filter((p) => !declared.has(p));
      return missing.length
        ? judged(warn(`Patient does not declare the search parameter(s) ${missing.join(', ')}`), evidence)
        : pass(`Patient declares ${wanted.join(', ')}`);
    },
  }),
  defineCheck({
    id: 'meta-10-json-format',
    requirement: 'META-10',
    uses: { fhirVersion, capability: capabilityStatement },
    async run(_ctx, { fhirVersion: { version }, capability: { statement, answer, evidence } }) {
      const formats = array(statement.format).map((f) =>
        (typeof f === 'string' ? f : '').split(';')[0]!.trim().toLowerCase(),
      );
      const expected = fhirJsonMediaType[version];
      const served = contentType(answer);
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
        ? judged(warn(problems.join('; ')), evidence)
        : pass(`format includes JSON and metadata is served as ${expected}`);
    },
  }),
];

function missingInteractions(entry: Json, wanted: string[]): string[] {
  const codes = interactionCodes(entry);
  return wanted.filter((w) => !codes.has(w));
}

function recommendedTypes(profile: Profile): string[] {
  return profile.resources.filter((r) => r.level === 'recommended').map((r) => r.type);
}

function patientSearchParams(profile: Profile, version: FhirVersion): string[] {
  const fromProfile = profile.resources.find((r) => r.type === 'Patient')?.searchParams;
  if (fromProfile) return fromProfile;
  return ['_id', 'family', 'given', 'birthdate', 'identifier', version === 'dstu2' ? 'name' : 'gender'];
}
