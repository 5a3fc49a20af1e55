/**
 * The searches and the batch whose latency LAT-04 and LAT-05 measure: the very requests the SRCH and
 * BATCH suites send, from the profile's `searches` and `batch` (filled from the probe patient with the
 * same functions). A profile without them gets a small fixed set of the app's queries. A search whose
 * type the capability statement does not list, or whose value the probe patient lacks, is left out:
 * LAT measures speed, and the SRCH suite already reports what is unsupported or unfillable.
 */
import type { FhirVersion } from '../core/fhir-version.js';
import type { Probe } from '../partner/probe.js';
import { fillRequest, getForm, label as labelOf, type FilledRequest } from '../profile/requests.js';
import { fill, probeValues } from '../fhir/search-values.js';
import type { BatchEntry, Profile, ProfileResource, SearchQuery } from '../profile/model.js';

export interface LatencyQuery {
  /** The profile's query id, e.g. `family`. */
  id: string;
  requirement: string;
  /**
   * The query with its placeholders unfilled (`POST Patient/_search family={probe.familyPrefix}`):
   * stable across runs, so report rows and `diff` match on it.
   */
  label: string;
  request: FilledRequest;
}

/** The app's core queries, for a profile that lists none of its own. */
function fallbackSearches(version: FhirVersion): SearchQuery[] {
  const sort: [string, string] = version === 'dstu2' ? ['_sort:desc', 'date'] : ['_sort', '-date'];
  return [
    {
      id: 'by-id',
      requirement: 'SRCH-PAT-1',
      method: 'POST',
      path: 'Patient/_search',
      params: { _id: '{probe.id}' },
      resultType: 'Patient',
    },
    {
      id: 'family',
      requirement: 'SRCH-PAT-2',
      method: 'POST',
      path: 'Patient/_search',
      params: { [version === 'dstu2' ? 'family:contains' : 'family']: '{probe.familyPrefix}' },
      resultType: 'Patient',
    },
    {
      id: 'vital-signs',
      requirement: 'SRCH-OBS-1',
      method: 'GET',
      path: 'Observation',
      params: { patient: '{probe.id}', category: 'vital-signs', [sort[0]]: sort[1] },
      resultType: 'Observation',
    },
    {
      id: 'conditions',
      requirement: 'SRCH-CON-1',
      method: 'GET',
      path: 'Condition',
      params: { patient: '{probe.id}', _count: '10' },
      resultType: 'Condition',
    },
  ];
}

export interface QueryContext {
  version: FhirVersion;
  profile?: Profile;
  /** Whether the partner serves a resource type (the capability statement lists it). */
  served(resource: Pick<ProfileResource, 'type' | 'level'>): boolean;
}

export function latencyQueries(qc: QueryContext, probe: Probe): LatencyQuery[] {
  const values = probeValues(probe.patient, probe.id);
  const searches = qc.profile?.searches?.length ? qc.profile.searches : fallbackSearches(qc.version);
  const out: LatencyQuery[] = [];
  for (const query of searches) {
    const type = qc.profile?.resources.find((r) => r.type === query.resultType) ?? {
      type: query.resultType,
      level: query.resultType === 'Patient' ? ('required' as const) : ('recommended' as const),
    };
    if (!qc.served(type)) continue;
    const filled = fillRequest(query, values);
    if (!filled.ok) continue;
    const template: FilledRequest = {
      method: query.method,
      path: query.path,
      params: Object.entries(query.params ?? {}).flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((one): [string, string] => [k, one]),
      ),
    };
    out.push({
      id: query.id,
      requirement: query.requirement,
      label: labelOf(template),
      request: filled.request,
    });
  }
  return out;
}

/**
 * The batch's GET entries, relative to the base, in order: the profile's `batch` when it has one
 * (entries whose query was left out are left out too), else the patient read and every query.
 */
export function batchUrls(qc: QueryContext, probe: Probe, queries: readonly LatencyQuery[]): string[] {
  const values = probeValues(probe.patient, probe.id);
  const byId = new Map(queries.map((q) => [q.id, q]));
  const entries: BatchEntry[] = qc.profile?.batch?.entries ?? [
    { read: 'Patient/{probe.id}' },
    ...queries.map((q) => ({ query: q.id })),
  ];
  const urls: string[] = [];
  for (const entry of entries) {
    if ('read' in entry) {
      const path = fill(entry.read, values);
      if (path.ok) urls.push(path.value);
    } else {
      const q = byId.get(entry.query);
      if (q) urls.push(getForm(q.request));
    }
  }
  return urls;
}
