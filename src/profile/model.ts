/** The shape of a profile file (profiles/profile.schema.json is its runtime form). */
import type { FhirVersion } from '../core/fhir-version.js';

/** One field the app reads, as a FHIRPath expression over the resource. */
export interface FieldSpec {
  /**
   * FHIRPath, evaluated with the resource as context. The field is present when the result is not
   * empty and not `false`, so a boolean expression (`a.exists() or b.exists()`) states an alternative.
   */
  path: string;
  /** How a partner reads it in a message, e.g. `an identifier typed MR`. */
  label: string;
}

/** The fields one requirement (RES-PAT-1…) asks of every instance of a resource type. */
export interface FieldRequirement {
  requirement: string;
  fields: FieldSpec[];
}

/**
 * A request template. Strings may hold placeholders filled from the probe patient; see
 * `placeholders` in src/fhir/search-values.ts and the schema's description.
 */
export interface RequestTemplate {
  method?: 'GET' | 'POST';
  /** Relative to the FHIR base, e.g. `Observation` or `Patient/{probe.id}`. */
  path: string;
  /** Sent in the query string for GET and as a form body for POST, in this order. */
  params?: Record<string, string | string[]>;
}

export interface ProfileResource {
  type: string;
  level: 'required' | 'recommended';
  interactions: string[];
  searchParams?: string[];
  /** FHIRPath of the reference that ties an instance to its patient, e.g. `subject.reference`. */
  patientReference?: string;
  /** FHIRPath of the instance's clinical date, the key of `_sort=date`, e.g. `period.start`. */
  date?: string;
  /** How the RES suite gets this type's instances for the probe patient. */
  fetch?: RequestTemplate;
  /** Required (fail) and recommended (warn) fields, each with the requirement it serves. */
  fields?: FieldRequirement[];
}

/** What the answer to a search must show beyond being a `searchset` Bundle with `total`. */
export interface SearchExpectations {
  /** `only`: exactly the probe patient; `included`: the probe patient is among the matches. */
  probe?: 'only' | 'included';
  /** Every match has a value at `path` that contains (or equals) the value, ignoring case and accents. */
  every?: { path: string; contains?: string; equals?: string };
  /** Every match refers to the asked patient (through its type's `patientReference`). */
  ofPatient?: boolean;
  /** Matches are ordered by their type's `date`, newest first. */
  newestFirst?: boolean;
  /** The first match is the patient's newest instance (compared with an unsorted patient search). */
  latestFirst?: boolean;
  /**
   * Instances of the type that refer to the patient, found by an unfiltered search, are all returned;
   * when the probe has none, a patient who has one is asked for instead.
   */
  complete?: boolean;
}

export interface SearchQuery extends RequestTemplate {
  /** Unique in the profile; check rows and batch entries name the query by it. */
  id: string;
  requirement: string;
  method: 'GET' | 'POST';
  /** The resource type of the matches. */
  resultType: string;
  expect?: SearchExpectations;
}

export type BatchEntry = { read: string } | { query: string };

export interface BatchSpec {
  requirement: string;
  /** GET entries, in order: a read (`Patient/{probe.id}`) or the GET form of a search by its id. */
  entries: BatchEntry[];
}

export interface Budgets {
  metadata: number;
  token: number;
  read: number;
  search: number;
  batch: number;
}

export interface Profile {
  name: string;
  description?: string;
  fhirVersion: FhirVersion;
  resources: ProfileResource[];
  searches?: SearchQuery[];
  batch?: BatchSpec;
  budgets: Budgets;
}
