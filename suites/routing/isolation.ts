/**
 * ROUTE-02: what tenant A's token finds, tenant B's token can neither read nor find, and the other way
 * round, for every resource type the partner serves and the app reads. A leak is judged by content: ids
 * may collide between two tenants' servers (both may number patients from 1), so an answer leaks only
 * when it holds a resource equal to one of the owner's (ignoring `meta`).
 */
import { asTenant, fhirUrl } from '../../src/auth/session.js';
import { defineCheck, fail, na, pass, type Outcome } from '../../src/engine/check.js';
import { dataFacts, partnerAccess, type PartnerAccess } from '../../src/partner/access.js';
import { describe } from '../../src/http/exchange.js';
import type { Evidence } from '../../src/core/model.js';
import { bundleEntries, isResource, type ResourceLike } from '../../src/fhir/bundle.js';
import { resourceEntry } from '../../src/fhir/capability.js';
import type { Probe } from '../../src/partner/probe.js';
import { fill, probeValues, type ProbeValues } from '../../src/fhir/search-values.js';
import type { RequestTemplate } from '../../src/profile/model.js';

/** How many of the owner's resources of each type are tried with the other tenant's token. */
const SAMPLES_PER_TYPE = 3;
/** Other patients tried, one search each, when the probe has none of a type and the tenant-wide search finds none. */
const OTHER_PATIENTS = 5;
/** Statuses that say "not yours" to a read. */
const NOT_READABLE = new Set([401, 403, 404, 410]);

export const isolation = [
  defineCheck({
    id: 'route-02-isolation',
    requirement: 'ROUTE-02',
    // The profile's resource types are crossed with the capability statement's.
    uses: dataFacts,
    async run(ctx, given) {
      const partner = partnerAccess(ctx, given);
      const tenants = partner.ctx.options.tenants;
      if (tenants.length < 2) {
        return na('only one tenant is configured: give a second --tenant to test isolation between tenants');
      }
      const types = servedTypes(partner);
      const outcomes: Outcome[] = [];
      for (const owner of tenants) {
        for (const other of tenants) {
          if (owner === other) continue;
          const probe = partner.probes.get(owner);
          if (!probe) continue;
          for (const type of types) outcomes.push(await crossCheck(partner, probe, other, type));
        }
      }
      return outcomes;
    },
  }),
];

/** The profile's resource types that the capability statement declares (Patient first). */
function servedTypes(partner: PartnerAccess): string[] {
  const declared = (type: string): boolean => !!resourceEntry(partner.rest, type);
  const fromProfile = partner.profile.resources.map((r) => r.type);
  const types = fromProfile.filter(declared);
  return ['Patient', ...types.filter((t) => t !== 'Patient')];
}

function short(tenant: string): string {
  return tenant.slice(0, 8);
}

async function crossCheck(
  partner: PartnerAccess,
  probe: Probe,
  other: string,
  type: string,
): Promise<Outcome> {
  const owner = probe.tenant;
  const subject = `${type} of tenant ${short(owner)}… via tenant ${short(other)}…`;
  const values = probeValues(probe.patient, probe.id);
  // Evidence, not the answers: each may hold a 20 MiB body and its parsed value until the check ends.
  const seen: Evidence[] = [];
  const evidence = (): Outcome['evidence'] => [...seen];

  let samples: ResourceLike[];
  let sampledFrom = '';
  // The patient whose resources were sampled: the probe, or the other patient they came from.
  let leakValues = values;
  if (type === 'Patient') {
    samples = [probe.patient as ResourceLike];
  } else {
    const sampled = await sampleOwn(partner, probe, type, values, seen);
    if (sampled.samples.length === 0) {
      return na(
        `tenant ${short(owner)}… has no ${type} to cross-check, so its isolation is untested: ${sampled.tried.join(', then ')}`,
        {
          subject,
          evidence: evidence(),
        },
      );
    }
    samples = sampled.samples;
    sampledFrom = sampled.from;
    leakValues = sampled.values;
  }
  const owned = new Map(samples.map((r) => [`${r.resourceType}/${r.id}`, canonical(r)]));
  const leakIn = (found: ResourceLike[]): string | undefined =>
    found
      .map((r) => `${r.resourceType}/${String(r.id)}`)
      .find((key, i) => owned.get(key) === canonical(found[i]!));

  const problems: string[] = [];
  // Reads by id with the other tenant's token.
  for (const resource of samples) {
    const path = `${type}/${encodeURIComponent(String(resource.id))}`;
    const res = await asTenant(partner.ctx, partner.tokens, other, { url: fhirUrl(partner.ctx, path) });
    seen.push(res.evidence);
    const body = res.status === 200 ? res.json() : undefined;
    if (body?.ok && isResource(body.value) && leakIn([body.value])) {
      problems.push(`GET ${path} returned tenant ${short(owner)}…'s resource`);
    } else if (!NOT_READABLE.has(res.status) && res.status !== 200) {
      problems.push(`GET ${path} answered ${describe(res)}, expected 404, 403 or 401`);
    }
  }
  // Searches with the owner's identifying values.
  for (const search of leakSearches(partner, type, leakValues, samples)) {
    const res = await asTenant(partner.ctx, partner.tokens, other, request(partner, search, leakValues));
    seen.push(res.evidence);
    if (res.status >= 500 || res.status === 0) {
      problems.push(`${label(search)} answered ${describe(res)}; isolation cannot be confirmed`);
      continue;
    }
    const body = res.status === 200 ? res.json() : undefined;
    const leaked = body?.ok ? leakIn(bundleEntries(body.value)) : undefined;
    if (leaked) problems.push(`${label(search)} found tenant ${short(owner)}…'s ${leaked}`);
  }
  const what = `${samples.length} ${type} of tenant ${short(owner)}…${sampledFrom}`;
  return problems.length
    ? fail(`tenant ${short(other)}…'s token reaches ${what}: ${problems.join('; ')}`, {
        subject,
        evidence: evidence(),
      })
    : pass(`${what} can neither be read by id nor found by search with tenant ${short(other)}…'s token`, {
        subject,
        evidence: evidence(),
      });
}

/**
 * What the owner's token finds of a type: the probe's own; when the probe has none, any of the
 * tenant's; and when the partner refuses a search without a patient (many EHRs do), those of other
 * patients of the tenant. So isolation is tested for every type the tenant holds, not only those the
 * probe happens to have.
 */
async function sampleOwn(
  partner: PartnerAccess,
  probe: Probe,
  type: string,
  values: ProbeValues,
  seen: Evidence[],
): Promise<{ samples: ResourceLike[]; from: string; tried: string[]; values: ProbeValues }> {
  const tried: string[] = [];
  const attempt = async (search: RequestTemplate, asked: ProbeValues): Promise<ResourceLike[]> => {
    const own = await asTenant(partner.ctx, partner.tokens, probe.tenant, request(partner, search, asked));
    seen.push(own.evidence);
    const body = own.status === 200 ? own.json() : undefined;
    const found = body?.ok
      ? bundleEntries(body.value, { resourceType: type }).filter(hasId).slice(0, SAMPLES_PER_TYPE)
      : [];
    tried.push(
      `${label(search)}${asked.id !== values.id ? ` for Patient/${asked.id}` : ''} answered ${describe(own)}${own.status === 200 ? ` with ${found.length || 'none'}` : ''}`,
    );
    return found;
  };
  const own = ownSearch(partner, type);
  const mine = await attempt(own, values);
  if (mine.length > 0 || !isPatientScoped(own)) return { samples: mine, from: '', tried, values };
  const wide = await attempt(tenantWideSearch(type), values);
  if (wide.length > 0)
    return { samples: wide, from: ` (Patient/${probe.id} has none; sampled tenant-wide)`, tried, values };
  for (const id of await otherPatients(partner, probe, seen)) {
    const theirs = { ...values, id };
    const found = await attempt(own, theirs);
    if (found.length > 0) {
      return {
        samples: found,
        from: ` (Patient/${probe.id} has none; sampled from Patient/${id})`,
        tried,
        values: theirs,
      };
    }
  }
  return { samples: [], from: '', tried, values };
}

/** A few other patients of the probe's tenant, for types the partner only searches per patient. */
async function otherPatients(partner: PartnerAccess, probe: Probe, seen: Evidence[]): Promise<string[]> {
  const res = await asTenant(partner.ctx, partner.tokens, probe.tenant, {
    url: fhirUrl(partner.ctx, `Patient?_count=${OTHER_PATIENTS + 1}`),
  });
  seen.push(res.evidence);
  const body = res.status === 200 ? res.json() : undefined;
  if (!body?.ok) return [];
  return bundleEntries(body.value, { resourceType: 'Patient' })
    .map((p) => String(p.id))
    .filter((id) => id !== probe.id && id !== 'undefined')
    .slice(0, OTHER_PATIENTS);
}

function hasId(r: ResourceLike): boolean {
  return typeof r.id === 'string' && r.id !== '';
}

/** The owner's own search for a type: the profile's patient-scoped fetch, or the first few of the type. */
function ownSearch(partner: PartnerAccess, type: string): RequestTemplate {
  const fetch = partner.profile.resources.find((r) => r.type === type)?.fetch;
  if (fetch && !fetch.path.includes('/')) return { ...fetch, params: { ...fetch.params, _count: '10' } };
  return { path: type, params: { _count: String(SAMPLES_PER_TYPE) } };
}

function isPatientScoped(template: RequestTemplate): boolean {
  return Object.values(template.params ?? {}).some((v) =>
    (Array.isArray(v) ? v : [v]).some((s) => String(s).includes('{probe.')),
  );
}

/** The first few of a type in the whole tenant, whoever they belong to. */
function tenantWideSearch(type: string): RequestTemplate {
  return { path: type, params: { _count: String(SAMPLES_PER_TYPE) } };
}

/** Searches by the owner's MRN, ids and patient that the other tenant's token must come back empty from. */
function leakSearches(
  partner: PartnerAccess,
  type: string,
  values: ProbeValues,
  samples: ResourceLike[],
): RequestTemplate[] {
  const ids = samples.map((r) => String(r.id)).join(',');
  if (type === 'Patient') {
    const searches: RequestTemplate[] = [{ path: 'Patient', params: { _id: values.id } }];
    if (values.mrn) {
      searches.push({
        path: 'Patient',
        params: { identifier: values.mrnSystem ? `${values.mrnSystem}|${values.mrn}` : values.mrn },
      });
    }
    return searches;
  }
  const searches: RequestTemplate[] = [{ path: type, params: { _id: ids } }];
  const own = ownSearch(partner, type);
  if (isPatientScoped(own)) searches.push(own);
  return searches;
}

/** A GET request for a template, its placeholders filled from the owner's probe values. */
function request(partner: PartnerAccess, template: RequestTemplate, values: ProbeValues): { url: string } {
  const query = new URLSearchParams();
  for (const [name, raw] of Object.entries(template.params ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const filled = fill(value, values);
      query.append(name, filled.ok ? filled.value : value);
    }
  }
  const q = query.toString();
  return { url: fhirUrl(partner.ctx, q ? `${template.path}?${q}` : template.path) };
}

function label(template: RequestTemplate): string {
  return `GET ${template.path}?${Object.keys(template.params ?? {}).join('&')}`;
}

/** Stable JSON of a resource without `meta`, for comparing content whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value, true));
}

function sortKeys(value: unknown, top = false): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([k]) => !(top && k === 'meta'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
