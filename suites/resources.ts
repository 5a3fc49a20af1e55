/**
 * RES: the resources the app reads, as the partner serves them for the probe patient of each tenant.
 * Each RES-xxx-n row checks the fields the profile lists for that requirement on every instance
 * (required → fail, recommended → warn); a type the capability statement does not list is "not
 * supported" (na). RES-LOC-1 follows the Encounter's location, RES-READ-1 reads everything by id,
 * and RES-VAL-1 (registered after the batch suite) validates every resource the run was returned.
 */
import { randomBytes } from 'node:crypto';
import { asTenant, fhirUrl } from '../src/auth/session.js';
import { defineCheck, fail, na, pass, type Check, type Outcome } from '../src/engine/check.js';
import { dataAdds, dataFacts, partnerAccess, type PartnerAccess } from '../src/partner/access.js';
import { returnedResources } from '../src/partner/facts.js';
import { requirements } from '../src/core/requirements.js';
import { describe, type Exchange } from '../src/http/exchange.js';
import type { Evidence } from '../src/core/model.js';
import { isOperationOutcome, isResource, type ResourceLike } from '../src/fhir/bundle.js';
import { evaluatePath, hasValue } from '../src/fhir/fhirpath.js';
import { ref } from '../src/partner/paged-search.js';
import {
  isServed,
  patientData,
  perProbe,
  probeData,
  subjectFor,
  tenantProbes,
  type TypeData,
} from '../src/partner/patient-data.js';
import type { Probe } from '../src/partner/probe.js';
import { recordReturned, validityAgainst } from '../src/partner/returned.js';
import { loadValidator } from '../src/fhir/validate.js';
import type { FieldRequirement, Profile, ProfileResource } from '../src/profile/model.js';
import { counted } from '../src/core/wording.js';

/** Reads per tenant for RES-READ-1: enough to cover every type, bounded on a partner with big records. */
export const MAX_READS_PER_TENANT = 60;
const READ_CONCURRENCY = 4;
/** How many offenders a message names before it says "and n more". */
const NAMED = 4;

const typeWords: Record<string, string> = {
  PAT: 'patient',
  OBS: 'observation',
  CON: 'condition',
  ENC: 'encounter',
  ALG: 'allergy',
  MED: 'medication',
  COV: 'coverage',
};

function fieldGroup(
  profile: Profile,
  requirement: string,
): { resource: ProfileResource; group: FieldRequirement } | undefined {
  for (const resource of profile.resources) {
    const group = resource.fields?.find((g) => g.requirement === requirement);
    if (group) return { resource, group };
  }
  return undefined;
}

/** Names a few and counts the rest: messages stay one readable line. */
export function some(items: string[], named = NAMED): string {
  const shown = items.slice(0, named).join(', ');
  return items.length > named ? `${shown} and ${items.length - named} more` : shown;
}

function rowEvidence(outcome: Outcome, evidence: Evidence[]): Outcome {
  // A passing row shows the request it judged; a failing one every exchange behind it.
  return { ...outcome, evidence: outcome.status === 'pass' ? evidence.slice(0, 1) : evidence };
}

function present(resource: ResourceLike, path: string, partner: PartnerAccess): boolean {
  try {
    return hasValue(resource, path, partner.version);
  } catch {
    // An expression that cannot be evaluated on this instance (e.g. a singleton function over a
    // list) finds no value: the partner is told which field, the profile author sees the path.
    return false;
  }
}

function judgeFields(
  partner: PartnerAccess,
  probe: Probe,
  data: Extract<TypeData, { status: 'ok' }>,
  group: FieldRequirement,
): Outcome {
  const { type, resources } = data;
  const missing = group.fields
    .map((field) => ({ field, lacking: resources.filter((r) => !present(r, field.path, partner)).map(ref) }))
    .filter((m) => m.lacking.length > 0);
  const labels = group.fields.map((f) => f.label).join(', ');
  const count = `${resources.length} ${type}${resources.length === 1 ? '' : 's'} of Patient/${probe.id}`;
  if (missing.length === 0) return pass(`all ${count} carry ${labels}`);
  const lacking = new Set(missing.flatMap((m) => m.lacking));
  return fail(
    `${lacking.size} of ${count} lack a field the app reads: ${missing
      .map((m) => `${m.field.label} (${some(m.lacking, 3)})`)
      .join('; ')}`,
  );
}

function fieldCheck(requirement: string): Check {
  const word = typeWords[requirement.split('-')[1] ?? ''] ?? 'resource';
  return defineCheck({
    id: `${requirement.toLowerCase()}-${word}-fields`,
    requirement,
    uses: { ...dataFacts, probeData },
    adds: dataAdds,
    async run(ctx, given) {
      const partner = partnerAccess(ctx, given);
      const found = fieldGroup(partner.profile, requirement);
      if (!found) return na(`the profile ${partner.profile.name} lists no fields for ${requirement}`);
      return perProbe(partner, async (probe) => {
        const data = await patientData(partner, probe, found.resource);
        const subject = subjectFor(found.resource.type, probe);
        if (data.status === 'unsupported') return na(data.message, { subject, evidence: [] });
        if (data.status === 'error') return fail(data.message, { subject, evidence: data.evidence });
        if (data.resources.length === 0) {
          return na(
            `${data.label} returned no ${found.resource.type} for Patient/${probe.id}: nothing to check`,
            {
              subject,
              evidence: data.evidence.slice(0, 1),
            },
          );
        }
        return rowEvidence({ ...judgeFields(partner, probe, data, found.group), subject }, data.evidence);
      });
    },
  });
}

const FIELD_REQUIREMENTS = [...requirements.values()]
  .filter((r) => r.family === 'RES' && !['RES-LOC-1', 'RES-VAL-1', 'RES-READ-1'].includes(r.id))
  .map((r) => r.id);

/** `Location/1`, `https://base/Location/1` or `Location/1/_history/2` → `1`; other types → undefined. */
export function referencedId(reference: string, type: string): string | undefined {
  const m = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$`).exec(reference);
  return m?.[1];
}

async function readEncounterLocations(
  partner: PartnerAccess,
  probe: Probe,
  profile: Profile,
): Promise<Outcome> {
  const subject = subjectFor('Location', probe);
  const location = profile.resources.find((r) => r.type === 'Location') ?? {
    type: 'Location',
    level: 'recommended' as const,
  };
  if (!isServed(partner.rest, location)) {
    return na(
      'Location is not supported: the capability statement does not list it (the display on the Encounter may be enough)',
      {
        subject,
        evidence: [],
      },
    );
  }
  const encounterEntry = profile.resources.find((r) => r.type === 'Encounter');
  if (!encounterEntry)
    return na(`the profile ${profile.name} has no Encounter entry`, { subject, evidence: [] });
  const encounters = await patientData(partner, probe, encounterEntry);
  if (encounters.status === 'unsupported')
    return na(`${encounters.message}, so no Encounter location to follow`, { subject, evidence: [] });
  if (encounters.status === 'error')
    return fail(`no Encounter to follow: ${encounters.message}`, { subject, evidence: encounters.evidence });
  const version = partner.version;
  const references = new Map<string, string>();
  const problems: string[] = [];
  let contained = 0;
  for (const encounter of encounters.resources) {
    for (const value of evaluatePath(encounter, 'location.location.reference', version)) {
      if (typeof value !== 'string') continue;
      // `#id` names a Location contained in the Encounter itself: resolved without a request.
      if (value.startsWith('#')) {
        const found = containedLocation(encounter, value.slice(1));
        if (found) {
          contained++;
          continue;
        }
        problems.push(
          `${ref(encounter)} refers to "${value}", but it contains no Location with id "${value.slice(1)}"`,
        );
        continue;
      }
      if (!references.has(value)) references.set(value, ref(encounter));
    }
  }
  if (references.size === 0 && contained === 0 && problems.length === 0) {
    return na(
      `none of the ${encounters.resources.length} Encounters of Patient/${probe.id} refers to a Location`,
      {
        subject,
        evidence: encounters.evidence.slice(0, 1),
      },
    );
  }
  const evidence: Evidence[] = encounters.evidence.slice(0, references.size === 0 ? 1 : 0);
  let read = 0;
  for (const [reference, encounter] of [...references].slice(0, 10)) {
    const id = referencedId(reference, 'Location');
    if (!id || (/^https?:/.test(reference) && !reference.startsWith(fhirUrl(partner.ctx, '')))) {
      problems.push(
        `${encounter} refers to ${JSON.stringify(reference)}, which is not a Location of this base`,
      );
      continue;
    }
    const exchange = await asTenant(partner.ctx, partner.tokens, probe.tenant, {
      url: fhirUrl(partner.ctx, `Location/${encodeURIComponent(id)}`),
    });
    evidence.push(exchange.evidence);
    read++;
    const body = exchange.status === 200 ? exchange.json() : undefined;
    if (
      body?.ok &&
      isResource(body.value) &&
      body.value.resourceType === 'Location' &&
      body.value.id === id
    ) {
      recordReturned(partner, probe.tenant, body.value, `GET Location/${id}`, exchange.evidence);
      continue;
    }
    problems.push(
      `${encounter} refers to Location/${id}, but GET Location/${id} answered ${
        !body ? describe(exchange) : body.ok ? 'a resource that is not that Location' : body.reason
      }`,
    );
  }
  return problems.length
    ? fail(
        problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : ''),
        {
          subject,
          evidence,
        },
      )
    : pass(
        [
          read > 0
            ? `GET answered each of the ${read} Location(s) the Encounters of Patient/${probe.id} refer to`
            : '',
          contained > 0
            ? `${contained} reference(s) name a Location contained in the Encounter, resolved there`
            : '',
        ]
          .filter((s) => s !== '')
          .join('; '),
        { subject, evidence: evidence.slice(0, 1) },
      );
}

function containedLocation(encounter: ResourceLike, id: string): ResourceLike | undefined {
  const contained = (encounter as { contained?: unknown }).contained;
  if (!Array.isArray(contained)) return undefined;
  return contained.find(
    (r): r is ResourceLike => isResource(r) && r.resourceType === 'Location' && r.id === id,
  );
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Round-robin over the types, so a capped list still reads every type. */
function interleave(lists: ResourceLike[][], max: number): ResourceLike[] {
  const out: ResourceLike[] = [];
  for (let i = 0; out.length < max && lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length && out.length < max) out.push(list[i]!);
  }
  return out;
}

async function readEverything(partner: PartnerAccess, probe: Probe, profile: Profile): Promise<Outcome[]> {
  const lists: ResourceLike[][] = [];
  for (const resource of profile.resources) {
    if (!resource.fetch) continue;
    const data = await patientData(partner, probe, resource);
    if (data.status === 'ok') lists.push(data.resources.filter((r) => typeof r.id === 'string'));
  }
  const all = lists.reduce((n, l) => n + l.length, 0);
  const chosen = interleave(lists, MAX_READS_PER_TENANT);
  const results = await mapLimit(chosen, READ_CONCURRENCY, async (resource) => {
    const path = `${resource.resourceType}/${encodeURIComponent(resource.id!)}`;
    const exchange = await asTenant(partner.ctx, partner.tokens, probe.tenant, {
      url: fhirUrl(partner.ctx, path),
    });
    const body = exchange.status === 200 ? exchange.json() : undefined;
    const ok =
      body?.ok &&
      isResource(body.value) &&
      body.value.resourceType === resource.resourceType &&
      body.value.id === resource.id;
    if (body?.ok) recordReturned(partner, probe.tenant, body.value, `GET ${path}`, exchange.evidence);
    const why = ok
      ? undefined
      : !body
        ? describe(exchange)
        : body.ok
          ? `200 with ${isResource(body.value) ? ref(body.value) : 'a body that is not a resource'}`
          : body.reason;
    // The evidence, not the answer: up to MAX_READS_PER_TENANT answers of up to 20 MiB each.
    return { resource, evidence: exchange.evidence, why };
  });
  const failed = results.filter((r) => r.why);
  const subject = `reads @ tenant ${probe.tenant}`;
  const capped = all > chosen.length ? ` (${chosen.length} of ${all}, every type)` : '';
  const reads: Outcome =
    chosen.length === 0
      ? na(`no resource of Patient/${probe.id} was fetched, so none could be read back`, {
          subject,
          evidence: [],
        })
      : failed.length
        ? fail(
            `${failed.length} of ${counted(chosen.length, 'resource')} returned by searches could not be read by id: ${some(
              failed.map((f) => `GET ${ref(f.resource)} → ${f.why!}`),
              3,
            )}`,
            { subject, evidence: failed.map((f) => f.evidence) },
          )
        : pass(
            `GET [type]/[id] answered each resource of Patient/${probe.id}${capped}: ${chosen.length} reads`,
            {
              subject,
              evidence: results.slice(0, 1).map((r) => r.evidence),
            },
          );
  return [reads, await readUnknown(partner, probe)];
}

async function readUnknown(partner: PartnerAccess, probe: Probe): Promise<Outcome> {
  const subject = `unknown id @ tenant ${probe.tenant}`;
  const id = `fhir-certify-unknown-${randomBytes(8).toString('hex')}`;
  const exchange: Exchange = await asTenant(partner.ctx, partner.tokens, probe.tenant, {
    url: fhirUrl(partner.ctx, `Patient/${id}`),
  });
  const evidence = [exchange.evidence];
  if (exchange.status !== 404) {
    return fail(
      `GET Patient/${id} (an id that does not exist) answered ${describe(exchange)}; expected 404`,
      {
        subject,
        evidence,
      },
    );
  }
  const body = exchange.json();
  if (body.ok && isOperationOutcome(body.value)) {
    return pass(`GET Patient/${id} (an id that does not exist) answered 404 with an OperationOutcome`, {
      subject,
      evidence,
    });
  }
  // The 404 is required; its OperationOutcome body only recommended: this row can only warn.
  return fail(
    `GET Patient/${id} answered 404 as required, but its body is not an OperationOutcome (recommended)`,
    {
      subject,
      evidence,
      level: 'recommended',
    },
  );
}

export const resourceChecks = [
  ...FIELD_REQUIREMENTS.map(fieldCheck),
  defineCheck({
    id: 'res-loc-1-encounter-location',
    requirement: 'RES-LOC-1',
    uses: { ...dataFacts, probeData },
    adds: dataAdds,
    async run(ctx, given) {
      const partner = partnerAccess(ctx, given);
      return perProbe(partner, (probe) => readEncounterLocations(partner, probe, partner.profile));
    },
  }),
  defineCheck({
    id: 'res-read-1-read-by-id',
    requirement: 'RES-READ-1',
    uses: { ...dataFacts, probeData },
    adds: dataAdds,
    async run(ctx, given) {
      const partner = partnerAccess(ctx, given);
      return perProbe(partner, (probe) => readEverything(partner, probe, partner.profile));
    },
  }),
];

/** Invalid resources named per type in a row before "and n more". */
const NAMED_INVALID = 3;

/**
 * RES-VAL-1 runs last among the data suites (after batch), so it judges every resource the run was
 * returned: one row per resource type, counting the invalid ones and naming the first few with
 * the FHIR path of their first problem.
 */
export const resourceValidityChecks = [
  defineCheck({
    id: 'res-val-1-structure',
    requirement: 'RES-VAL-1',
    uses: { ...dataFacts, returned: returnedResources },
    adds: dataAdds,
    async run(ctx, { returned: found, ...given }) {
      const partner = partnerAccess(ctx, given);
      const version = partner.version;
      await loadValidator(version);
      // The probe patients are returned resources too, and make this row meaningful on its own (--only RES-VAL).
      for (const probe of tenantProbes(partner)) {
        recordReturned(partner, probe.tenant, probe.patient, `the probe search (ROUTE-01)`);
      }
      const returned = [...found.values()];
      if (returned.length === 0) return na('the run was returned no FHIR resource to validate');
      const byType = new Map<string, typeof returned>();
      for (const r of returned) {
        const list = byType.get(r.type);
        if (list) list.push(r);
        else byType.set(r.type, [r]);
      }
      const outcomes: Outcome[] = [];
      for (const [type, list] of byType) {
        const invalid = list
          .map((r) => ({ r, validity: validityAgainst(r, version) }))
          .filter((x) => x.validity.issues > 0);
        const noun = `${type} resource${list.length === 1 ? '' : 's'}`;
        if (invalid.length === 0) {
          outcomes.push(
            pass(`all ${list.length} ${noun} returned are valid ${version.toUpperCase()}`, {
              subject: type,
              evidence: [],
            }),
          );
          continue;
        }
        const shown = invalid.slice(0, NAMED_INVALID);
        const named = shown.map(({ r, validity }) => {
          const first = validity.first!;
          const more = validity.issues > 1 ? ` (+${validity.issues - 1} more)` : '';
          return `${r.key} @ tenant ${r.tenant}: ${first.path}: ${first.message}${more}`;
        });
        const rest = invalid.length > NAMED_INVALID ? `; and ${invalid.length - NAMED_INVALID} more` : '';
        const evidence: Evidence[] = [];
        for (const { r } of shown) {
          if (r.evidence) evidence.push(r.evidence);
          else if (r.id !== undefined) {
            // Recorded without its exchange (the probe patient): read it again to show the partner.
            const exchange = await asTenant(partner.ctx, partner.tokens, r.tenant, {
              url: fhirUrl(partner.ctx, `${type}/${encodeURIComponent(r.id)}`),
            });
            evidence.push(exchange.evidence);
          }
        }
        outcomes.push(
          fail(
            `${invalid.length} of ${list.length} ${noun} are not valid ${version.toUpperCase()}: ${named.join('; ')}${rest}`,
            { subject: type, evidence },
          ),
        );
      }
      return outcomes;
    },
  }),
];
