/**
 * Whether a search really found the right things: the expectations a profile query states
 * (`expect`), judged on what the partner returned. Each judge returns problems (the row fails) and
 * notes (what was shown, for a passing row's message), so a check that always passes is visible.
 */
import type { PartnerAccess } from './access.js';
import type { FhirVersion } from '../core/fhir-version.js';
import type { ProfileResource, SearchQuery } from '../profile/model.js';
import type { ResourceLike } from '../fhir/bundle.js';
import { evaluatePath } from '../fhir/fhirpath.js';
import { evidenceOf, MAX_KEPT_MATCHES, ref, runSearch, type SearchResult } from './paged-search.js';
import type { Probe } from './probe.js';
import { fillRequest, withParams, type FilledRequest } from '../profile/requests.js';
import { fill, type ProbeValues } from '../fhir/search-values.js';

export interface Judgement {
  problems: string[];
  notes: string[];
  /**
   * What the judgement could not decide and the row rests on: without a problem, such a row is a
   * skip that says why, never a pass.
   */
  undecided: string[];
  /** Exchanges of extra requests the judgement made (reference searches). */
  extra: SearchResult[];
}

const NAMED = 3;

function some(items: string[], named = NAMED): string {
  const shown = items.slice(0, named).join(', ');
  return items.length > named ? `${shown} and ${items.length - named} more` : shown;
}

/** Lower case without accents: FHIR string search ignores both. */
export function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function values(resource: ResourceLike, path: string, version: FhirVersion): unknown[] {
  try {
    return evaluatePath(resource, path, version);
  } catch {
    return [];
  }
}

function strings(resource: ResourceLike, path: string, version: FhirVersion): string[] {
  return values(resource, path, version)
    .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(String);
}

/** Epoch ms of a FHIR date, dateTime or instant (partial dates start their period); NaN when not one. */
export function epoch(value: string): number {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (m) return Date.UTC(Number(m[1]), Number(m[2] ?? '1') - 1, Number(m[3] ?? '1'));
  return Date.parse(value);
}

function dateOf(
  resource: ResourceLike,
  path: string,
  version: FhirVersion,
): { text: string; ms: number } | undefined {
  const text = strings(resource, path, version)[0];
  if (text === undefined) return undefined;
  const ms = epoch(text);
  return Number.isNaN(ms) ? undefined : { text, ms };
}

/** `Patient/1`, `https://x/fhir/Patient/1`, `Patient/1/_history/2` all refer to patient 1. */
export function refersToPatient(reference: string, id: string): boolean {
  const m = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(reference);
  return m?.[1] === id;
}

function patientIdOf(reference: string): string | undefined {
  return /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(reference)?.[1];
}

export interface JudgeInput {
  partner: PartnerAccess;
  probe: Probe;
  values: ProbeValues;
  query: SearchQuery;
  request: FilledRequest;
  result: SearchResult;
  type?: ProfileResource;
  version: FhirVersion;
}

export async function judgeSearch(input: JudgeInput): Promise<Judgement> {
  const out: Judgement = { problems: [], notes: [], undecided: [], extra: [] };
  const { query, result, probe, version } = input;
  const expect = query.expect ?? {};
  const matches = result.matches;
  const pages = !result.truncated
    ? ''
    : result.truncatedBy === 'kept-matches'
      ? ` kept (reading stops at ${MAX_KEPT_MATCHES} matches)`
      : ` in the first ${input.partner.ctx.options.maxPages} pages`;

  if (expect.probe === 'only') {
    if (matches.length === 1 && matches[0]!.id === probe.id) out.notes.push(`exactly Patient/${probe.id}`);
    else {
      out.problems.push(
        `expected exactly Patient/${probe.id}, got ${matches.length} match(es)${matches.length ? `: ${some(matches.map(ref))}` : ''}`,
      );
    }
  } else if (expect.probe === 'included') {
    if (matches.some((m) => m.id === probe.id)) out.notes.push(`Patient/${probe.id} (the probe) is found`);
    else
      out.problems.push(`Patient/${probe.id} (the probe) is not among the ${matches.length} matches${pages}`);
  }

  if (expect.every) {
    const { path } = expect.every;
    const how = expect.every.contains !== undefined ? 'contains' : 'equals';
    const wanted = fill((expect.every.contains ?? expect.every.equals)!, input.values);
    if (wanted.ok) {
      const target = normalise(wanted.value);
      const offenders = matches.filter((m) => {
        const found = strings(m, path, version).map(normalise);
        return !found.some((v) => (how === 'contains' ? v.includes(target) : v === target));
      });
      if (offenders.length === 0) {
        if (matches.length > 0)
          out.notes.push(`every match's ${path} ${how === 'contains' ? 'contains' : 'is'} "${wanted.value}"`);
      } else {
        out.problems.push(
          `${offenders.length} of ${matches.length} matches have no ${path} that ${how === 'contains' ? 'contains' : 'equals'} "${wanted.value}": ${some(
            offenders.map((m) => `${ref(m)} (${strings(m, path, version).join(' / ') || 'none'})`),
          )}`,
        );
      }
    }
  }

  const referencePath = input.type?.patientReference;
  if (expect.ofPatient && referencePath) {
    const others = matches.filter(
      (m) => !strings(m, referencePath, version).some((r) => refersToPatient(r, probe.id)),
    );
    if (others.length === 0) {
      if (matches.length > 0) out.notes.push(`all ${matches.length} belong to Patient/${probe.id}`);
    } else {
      out.problems.push(
        `${others.length} of ${matches.length} matches do not belong to Patient/${probe.id}: ${some(
          others.map(
            (m) => `${ref(m)} (${strings(m, referencePath, version).join(' / ') || 'no patient reference'})`,
          ),
        )}`,
      );
    }
  }

  const datePath = input.type?.date;
  if (expect.newestFirst && datePath) {
    const dated = matches.map((m) => ({ m, d: dateOf(m, datePath, version) }));
    const undated = dated.filter((x) => !x.d);
    const order = dated.filter((x): x is { m: ResourceLike; d: { text: string; ms: number } } => !!x.d);
    const wrong = order.findIndex((x, i) => i > 0 && x.d.ms > order[i - 1]!.d.ms);
    if (wrong > 0) {
      const a = order[wrong - 1]!;
      const b = order[wrong]!;
      out.problems.push(
        `not newest first: ${ref(a.m)} (${a.d.text}) comes before the later ${ref(b.m)} (${b.d.text})`,
      );
    } else if (order.length > 1) {
      out.notes.push(`newest first (${order[0]!.d.text} … ${order[order.length - 1]!.d.text})`);
    }
    // A match without a date is the data's fault, judged by the resource's own RES row; the search
    // is judged on the order of the matches that can be ordered, and says what it could not order.
    if (undated.length) {
      const none = order.length < 2 ? '; the order could not be judged' : '';
      out.notes.push(
        `${undated.length} match(es) have no ${datePath} and were left out of the order: ${some(undated.map((x) => ref(x.m)))}${none}`,
      );
    }
  }

  if (expect.latestFirst && datePath) await judgeLatest(input, datePath, out);
  if (expect.complete && referencePath) await judgeComplete(input, referencePath, out);
  return out;
}

/** The first match must be the patient's newest instance, by an unsorted search of the same patient. */
async function judgeLatest(input: JudgeInput, datePath: string, out: Judgement): Promise<void> {
  const { partner, probe, request, result, version, query } = input;
  const unsorted = withParams(request, (k) => k.startsWith('_sort') || k === '_count');
  const all = await runSearch(partner, probe.tenant, unsorted, { resultType: query.resultType });
  out.extra.push(all);
  if (all.fatal) {
    out.notes.push(`the latest could not be compared: ${all.fatal}`);
    return;
  }
  const newest = all.matches
    .map((m) => ({ m, d: dateOf(m, datePath, version) }))
    .filter((x): x is { m: ResourceLike; d: { text: string; ms: number } } => !!x.d)
    .sort((a, b) => b.d.ms - a.d.ms)[0];
  if (!newest) {
    if (result.firstPage.length === 0) out.notes.push(`Patient/${probe.id} has no dated ${query.resultType}`);
    return;
  }
  const first = result.firstPage[0];
  const firstDate = first ? dateOf(first, datePath, version) : undefined;
  const partial = all.truncated
    ? ` (the look was partial: the unsorted search went on past --max-pages ${partner.ctx.options.maxPages})`
    : '';
  if (!first) {
    out.problems.push(`no match, but ${ref(newest.m)} (${newest.d.text}) of Patient/${probe.id} exists`);
  } else if (!firstDate) {
    // FHIR does not say where a resource without the sort value goes: the data's fault (its RES row
    // says so), not the search's, and the order cannot be judged on it.
    out.notes.push(
      `the first match ${ref(first)} has no ${datePath}, so whether it is the latest cannot be judged`,
    );
  } else if (firstDate.ms < newest.d.ms) {
    out.problems.push(
      `the first match ${ref(first)} (${firstDate.text}) is not the newest: ${ref(newest.m)} (${newest.d.text}) is later`,
    );
  } else {
    out.notes.push(
      `the first match ${ref(first)} (${firstDate.text}) is the newest of ${all.matches.length}${partial}`,
    );
  }
}

/**
 * Every instance that refers to the patient, as an unfiltered search of the type lists them, must
 * be returned. When the probe has none, a patient who has one is searched for instead, so a search
 * that never finds anything cannot pass on a probe with no data. The listing follows its pages up to
 * --max-pages (a partner may page by 3 whatever _count asks); when pages were left, the row says the
 * look was partial.
 */
async function judgeComplete(input: JudgeInput, referencePath: string, out: Judgement): Promise<void> {
  const { partner, probe, query, result, version } = input;
  const patientParams = new Set(
    Object.entries(query.params ?? {})
      .filter(([, v]) => (Array.isArray(v) ? v : [v]).some((s) => s.includes('{probe.id}')))
      .map(([k]) => k),
  );
  const unfiltered = withParams(
    input.request,
    (k) => patientParams.has(k) || k === '_count' || k.startsWith('_sort'),
    [['_count', '100']],
  );
  const listing = await runSearch(partner, probe.tenant, unfiltered, { resultType: query.resultType });
  out.extra.push(listing);
  if (listing.fatal) {
    if (result.matches.length > 0) out.notes.push(`completeness not shown: ${listing.fatal}`);
    else await judgeByOtherPatients(input, referencePath, listing.fatal, out);
    return;
  }
  const read = `${listing.matches.length} ${query.resultType} over ${listing.pages} page(s)`;
  const cut =
    listing.truncatedBy === 'kept-matches'
      ? `the listing holds more than the ${listing.matches.length} matches a search keeps`
      : `the listing went on past --max-pages ${partner.ctx.options.maxPages}`;
  const partial = listing.truncated ? ` (the look was partial: ${cut}; ${read} read)` : '';
  const owner = (m: ResourceLike): string | undefined =>
    strings(m, referencePath, version)
      .map(patientIdOf)
      .find((id) => id !== undefined);
  const probes = listing.matches.filter((m) => owner(m) === probe.id);
  const found = new Set(result.matches.map((m) => m.id));
  if (probes.length > 0) {
    const lost = probes.filter((m) => !found.has(m.id));
    if (lost.length) {
      out.problems.push(
        `${some(lost.map(ref))} refer(s) to Patient/${probe.id} (listed by ${unfiltered.path}?_count=100, ${read}) but the search did not return it`,
      );
    } else
      out.notes.push(
        `it returns all ${probes.length} ${query.resultType} of Patient/${probe.id} that a listing shows${partial}`,
      );
    return;
  }
  const other = listing.matches.find((m) => owner(m) !== undefined);
  if (!other) {
    out.notes.push(`the tenant lists no ${query.resultType} that refers to a patient${partial}`);
    return;
  }
  const otherId = owner(other)!;
  const filled = fillRequest(query, { ...input.values, id: otherId });
  if (!filled.ok) return;
  const again = await runSearch(partner, probe.tenant, filled.request, { resultType: query.resultType });
  out.extra.push(again);
  if (again.fatal) out.problems.push(`asked for Patient/${otherId}, who has ${ref(other)}: ${again.fatal}`);
  else if (!again.matches.some((m) => m.id === other.id)) {
    out.problems.push(
      `Patient/${probe.id} has no ${query.resultType}; asked for Patient/${otherId}, whose ${ref(other)} a listing shows, the search did not return it`,
    );
  } else {
    out.notes.push(
      `Patient/${probe.id} has none${partial ? ' that the listing shows' : ''}; for Patient/${otherId} it returns ${ref(other)}${partial}`,
    );
  }
}

/** Other patients tried when the tenant cannot be listed and the probe has none of a type. */
const OTHER_PATIENTS = 5;

/**
 * The probe has none and the partner will not list the type tenant-wide (many EHRs search clinical
 * types per patient only): the same search for a few other patients shows whether it finds
 * anything at all. When none of them has any either, the row cannot decide and says so.
 */
async function judgeByOtherPatients(
  input: JudgeInput,
  referencePath: string,
  why: string,
  out: Judgement,
): Promise<void> {
  const { partner, probe, query, version } = input;
  const patients = await runSearch(
    partner,
    probe.tenant,
    { method: 'GET', path: 'Patient', params: [['_count', String(OTHER_PATIENTS + 1)]] },
    { resultType: 'Patient', maxPages: 1 },
  );
  out.extra.push(patients);
  const others = patients.matches
    .map((p) => p.id)
    .filter((id): id is string => typeof id === 'string' && id !== probe.id)
    .slice(0, OTHER_PATIENTS);
  for (const id of others) {
    const filled = fillRequest(query, { ...input.values, id });
    if (!filled.ok) continue;
    const theirs = await runSearch(partner, probe.tenant, filled.request, { resultType: query.resultType });
    out.extra.push(theirs);
    if (theirs.fatal || theirs.matches.length === 0) continue;
    const foreign = theirs.matches.filter(
      (m) => !strings(m, referencePath, version).some((r) => refersToPatient(r, id)),
    );
    if (foreign.length > 0) {
      out.problems.push(
        `asked for Patient/${id}, the search returned ${some(foreign.map(ref))}, which do(es) not belong to them`,
      );
    } else {
      out.notes.push(
        `Patient/${probe.id} has none and the tenant cannot be listed (${why}); for Patient/${id} it returns ${theirs.matches.length}, all theirs`,
      );
    }
    return;
  }
  out.undecided.push(
    `Patient/${probe.id} has none, the tenant cannot be listed (${why}) and none of ${others.length} other patient(s) has any: whether the search finds anything is not shown (name a probe with ${query.resultType} with --probe-patient)`,
  );
}

export function allEvidence(result: SearchResult, judgement: Judgement) {
  return [...evidenceOf(result), ...judgement.extra.flatMap(evidenceOf)];
}
