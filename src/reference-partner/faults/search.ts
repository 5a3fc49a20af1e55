/** SRCH faults: a search parameter ignored or never matching, or an order forced whatever _sort asks. */
import type { FaultPlugin, SearchParamEffect } from './hooks.js';

/** Searches of `type` (of every type when undefined) treat the parameters `names` as `effect`. */
function param(type: string | undefined, names: string[], effect: SearchParamEffect) {
  return (t: string, p: string): SearchParamEffect | undefined =>
    (type === undefined || t === type) && names.includes(p) ? effect : undefined;
}

const oldestFirst = (type: string) => (t: string) =>
  t === type ? { key: 'date', descending: false } : undefined;

export const searchFaults: FaultPlugin[] = [
  {
    name: 'SRCH-PAT-1',
    requirement: 'SRCH-PAT-1',
    description: 'Patient search ignores _id and returns every patient',
    request: { searchParam: param('Patient', ['_id'], 'ignored') },
  },
  {
    name: 'SRCH-PAT-2',
    requirement: 'SRCH-PAT-2',
    description: 'Patient search ignores family and returns every patient',
    request: { searchParam: param('Patient', ['family'], 'ignored') },
  },
  {
    name: 'SRCH-PAT-3',
    requirement: 'SRCH-PAT-3',
    description: 'Patient search ignores given and name and returns every patient',
    request: { searchParam: param('Patient', ['given', 'name'], 'ignored') },
  },
  {
    name: 'SRCH-PAT-4',
    requirement: 'SRCH-PAT-4',
    description: 'Patient search ignores birthdate and returns every patient',
    request: { searchParam: param('Patient', ['birthdate'], 'ignored') },
  },
  {
    name: 'SRCH-PAT-5',
    requirement: 'SRCH-PAT-5',
    description: 'Patient search by identifier never matches',
    request: { searchParam: param('Patient', ['identifier'], 'matches-nothing') },
  },
  {
    name: 'SRCH-PAT-6',
    requirement: 'SRCH-PAT-6',
    description: 'Patient search ignores gender and returns every patient',
    request: { searchParam: param('Patient', ['gender'], 'ignored') },
  },
  {
    name: 'SRCH-CNT-1',
    requirement: 'SRCH-CNT-1',
    description: '_count is ignored (the default page size is used)',
    request: { searchParam: param(undefined, ['_count'], 'ignored') },
  },
  {
    name: 'SRCH-OBS-1',
    requirement: 'SRCH-OBS-1',
    description: 'Observation searches sort oldest first whatever _sort asks',
    request: { sortOrder: oldestFirst('Observation') },
  },
  {
    name: 'SRCH-CON-1',
    requirement: 'SRCH-CON-1',
    description: 'Condition search ignores patient and returns every condition',
    request: { searchParam: param('Condition', ['patient'], 'ignored') },
  },
  {
    name: 'SRCH-ENC-1',
    requirement: 'SRCH-ENC-1',
    description: 'Encounter search ignores _sort and returns the oldest encounter first',
    request: { sortOrder: oldestFirst('Encounter') },
  },
  {
    name: 'SRCH-ALG-1',
    requirement: 'SRCH-ALG-1',
    description: 'AllergyIntolerance search ignores patient and returns every allergy',
    request: { searchParam: param('AllergyIntolerance', ['patient'], 'ignored') },
  },
  {
    name: 'SRCH-MED-1',
    requirement: 'SRCH-MED-1',
    description: 'MedicationOrder / MedicationRequest search ignores patient',
    request: {
      searchParam: (type, p) =>
        (type === 'MedicationOrder' || type === 'MedicationRequest') && p === 'patient'
          ? 'ignored'
          : undefined,
    },
  },
  {
    name: 'SRCH-COV-1',
    requirement: 'SRCH-COV-1',
    description: 'Coverage search by patient returns nothing',
    request: { searchParam: param('Coverage', ['patient'], 'matches-nothing') },
  },
];
