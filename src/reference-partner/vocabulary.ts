/**
 * Realistic code lists for the synthetic data. Codes are real LOINC, SNOMED CT and RxNorm codes so a
 * reader of a report recognises them; nothing here is patient data.
 */
export interface Concept {
  system: string;
  code: string;
  display: string;
}

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';
export const V2_0203 = 'http://hl7.org/fhir/v2/0203';
export const OBSERVATION_CATEGORY = 'http://hl7.org/fhir/observation-category';

export const FAMILY_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Okafor',
  'Kowalski',
  'Novak',
  'Schmidt',
  'Fischer',
  'Rossi',
  'Bianchi',
  'Dubois',
  'Laurent',
  'Yamamoto',
  'Tanaka',
  'Kim',
  'Park',
  'Chen',
  'Wang',
  'Patel',
  'Shah',
  'Singh',
  'Haddad',
  'Cohen',
  'Murphy',
  "O'Brien",
] as const;

export const MALE_GIVEN = [
  'James',
  'Robert',
  'John',
  'Michael',
  'David',
  'William',
  'Richard',
  'Joseph',
  'Thomas',
  'Charles',
  'Daniel',
  'Matthew',
  'Anthony',
  'Mark',
  'Steven',
  'Paul',
  'Andrew',
  'Joshua',
  'Kenneth',
  'Kevin',
  'Brian',
  'George',
  'Timothy',
  'Ronald',
  'Jason',
  'Edward',
  'Jeffrey',
  'Ryan',
  'Jacob',
  'Nicholas',
  'Eric',
  'Stephen',
  'Jonathan',
  'Samuel',
  'Benjamin',
  'Mateo',
  'Hiroshi',
  'Arjun',
  'Omar',
  'Lukas',
] as const;

export const FEMALE_GIVEN = [
  'Mary',
  'Patricia',
  'Jennifer',
  'Linda',
  'Elizabeth',
  'Barbara',
  'Susan',
  'Jessica',
  'Sarah',
  'Karen',
  'Lisa',
  'Nancy',
  'Betty',
  'Sandra',
  'Margaret',
  'Ashley',
  'Kimberly',
  'Emily',
  'Donna',
  'Michelle',
  'Carol',
  'Amanda',
  'Melissa',
  'Deborah',
  'Stephanie',
  'Rebecca',
  'Laura',
  'Sharon',
  'Cynthia',
  'Amy',
  'Angela',
  'Helen',
  'Anna',
  'Olivia',
  'Sofia',
  'Chloe',
  'Yuki',
  'Priya',
  'Fatima',
  'Ingrid',
] as const;

export const MIDDLE_INITIALS = 'ABCDEFGHJKLMNPRSTW';

export const STREETS = [
  'Oak St',
  'Maple Ave',
  'Pine Rd',
  'Cedar Ln',
  'Elm St',
  'Lakeview Dr',
  'Hillcrest Rd',
  'Main St',
];

export interface City {
  city: string;
  state: string;
  postalPrefix: string;
}

export const CITIES: readonly City[] = [
  { city: 'Springfield', state: 'IL', postalPrefix: '627' },
  { city: 'Madison', state: 'WI', postalPrefix: '537' },
  { city: 'Portland', state: 'OR', postalPrefix: '972' },
  { city: 'Columbus', state: 'OH', postalPrefix: '432' },
  { city: 'Raleigh', state: 'NC', postalPrefix: '276' },
  { city: 'Boise', state: 'ID', postalPrefix: '837' },
];

export const PRACTITIONERS = [
  'Dr. Alice Morgan',
  'Dr. Rahul Mehta',
  'Dr. Grace Liu',
  'Dr. Samuel Okoye',
  'Dr. Elena Petrova',
  'Dr. Marcus Reed',
  'Dr. Hannah Weiss',
  'Dr. Diego Alvarez',
] as const;

export const CONDITIONS: readonly Concept[] = [
  { system: SNOMED, code: '38341003', display: 'Hypertensive disorder' },
  { system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' },
  { system: SNOMED, code: '195967001', display: 'Asthma' },
  { system: SNOMED, code: '55822004', display: 'Hyperlipidemia' },
  { system: SNOMED, code: '35489007', display: 'Depressive disorder' },
  { system: SNOMED, code: '396275006', display: 'Osteoarthritis' },
  { system: SNOMED, code: '13645005', display: 'Chronic obstructive lung disease' },
  { system: SNOMED, code: '49436004', display: 'Atrial fibrillation' },
  { system: SNOMED, code: '40055000', display: 'Chronic sinusitis' },
  { system: SNOMED, code: '37796009', display: 'Migraine' },
];

export const SEVERITIES: readonly Concept[] = [
  { system: SNOMED, code: '255604002', display: 'Mild' },
  { system: SNOMED, code: '6736007', display: 'Moderate' },
  { system: SNOMED, code: '24484000', display: 'Severe' },
];

export const ENCOUNTER_TYPES: readonly Concept[] = [
  { system: SNOMED, code: '185349003', display: 'Encounter for check up' },
  { system: SNOMED, code: '390906007', display: 'Follow-up encounter' },
  { system: SNOMED, code: '185345009', display: 'Encounter for symptom' },
  { system: SNOMED, code: '50849002', display: 'Emergency room admission' },
];

export interface AllergySubstance extends Concept {
  category: 'medication' | 'food' | 'environment';
}

export const ALLERGY_SUBSTANCES: readonly AllergySubstance[] = [
  { system: RXNORM, code: '7980', display: 'Penicillin G', category: 'medication' },
  { system: RXNORM, code: '1191', display: 'Aspirin', category: 'medication' },
  { system: RXNORM, code: '10180', display: 'Sulfamethoxazole', category: 'medication' },
  { system: SNOMED, code: '256349002', display: 'Peanut - dietary', category: 'food' },
  { system: SNOMED, code: '44027008', display: 'Seafood', category: 'food' },
  { system: SNOMED, code: '111088007', display: 'Latex', category: 'environment' },
  { system: SNOMED, code: '256259004', display: 'Pollen', category: 'environment' },
];

export const MANIFESTATIONS: readonly Concept[] = [
  { system: SNOMED, code: '247472004', display: 'Hives' },
  { system: SNOMED, code: '271807003', display: 'Skin rash' },
  { system: SNOMED, code: '39579001', display: 'Anaphylaxis' },
  { system: SNOMED, code: '422587007', display: 'Nausea' },
  { system: SNOMED, code: '267036007', display: 'Dyspnea' },
];

export interface Drug extends Concept {
  dosage: string;
}

export const DRUGS: readonly Drug[] = [
  {
    system: RXNORM,
    code: '314076',
    display: 'Lisinopril 10 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once daily',
  },
  {
    system: RXNORM,
    code: '860975',
    display: 'Metformin 500 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth twice daily with meals',
  },
  {
    system: RXNORM,
    code: '617310',
    display: 'Atorvastatin 20 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth at bedtime',
  },
  {
    system: RXNORM,
    code: '197361',
    display: 'Amlodipine 5 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once daily',
  },
  {
    system: RXNORM,
    code: '245314',
    display: 'Albuterol 0.09 MG/ACTUAT Inhaler',
    dosage: 'Inhale 2 puffs every 4 to 6 hours as needed',
  },
  {
    system: RXNORM,
    code: '312938',
    display: 'Sertraline 50 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth once daily in the morning',
  },
  {
    system: RXNORM,
    code: '198211',
    display: 'Simvastatin 40 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth every evening',
  },
  {
    system: RXNORM,
    code: '855332',
    display: 'Warfarin Sodium 5 MG Oral Tablet',
    dosage: 'Take 1 tablet by mouth daily as directed',
  },
];

export const PAYORS = [
  { payor: 'Acme Health Insurance', group: 'Acme Employers Group', plan: 'Acme Gold PPO' },
  { payor: 'Blue Lake Mutual', group: 'Blue Lake State Employees', plan: 'Blue Lake HMO Standard' },
  { payor: 'Northwind Care', group: 'Northwind Retail Staff', plan: 'Northwind Silver EPO' },
  { payor: 'Summit Health Plan', group: 'Summit Individual Market', plan: 'Summit Bronze HDHP' },
] as const;

export interface VitalKind {
  key: 'hr' | 'weight' | 'temp' | 'resp' | 'bp';
  code: Concept;
  /** STU3 vital-signs profile code, when it differs from DSTU2's. */
  stu3Code?: Concept;
  unit: string;
  ucum: string;
}

export const VITALS: readonly VitalKind[] = [
  {
    key: 'bp',
    code: { system: LOINC, code: '55284-4', display: 'Blood pressure systolic and diastolic' },
    stu3Code: { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' },
    unit: 'mmHg',
    ucum: 'mm[Hg]',
  },
  {
    key: 'hr',
    code: { system: LOINC, code: '8867-4', display: 'Heart rate' },
    unit: 'beats/minute',
    ucum: '/min',
  },
  { key: 'weight', code: { system: LOINC, code: '29463-7', display: 'Body weight' }, unit: 'kg', ucum: 'kg' },
  {
    key: 'temp',
    code: { system: LOINC, code: '8310-5', display: 'Body temperature' },
    unit: 'Cel',
    ucum: 'Cel',
  },
  {
    key: 'resp',
    code: { system: LOINC, code: '9279-1', display: 'Respiratory rate' },
    unit: 'breaths/minute',
    ucum: '/min',
  },
];

export const SYSTOLIC: Concept = { system: LOINC, code: '8480-6', display: 'Systolic blood pressure' };
export const DIASTOLIC: Concept = { system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' };
export const HBA1C: Concept = {
  system: LOINC,
  code: '4548-4',
  display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
};
