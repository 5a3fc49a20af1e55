/** The shape of a profile file (profiles/profile.schema.json is its runtime form). */
import type { FhirVersion } from '../engine/state.js';

export interface ProfileResource {
  type: string;
  level: 'required' | 'recommended';
  interactions: string[];
  searchParams?: string[];
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
  budgets: Budgets;
}
