/**
 * One fault detector per requirement ID, written against the reference partner over HTTP: it returns
 * the problems it saw (none = the requirement holds). The fault tests run each detector against a
 * conformant partner (must hold) and against one with the fault of the same name (must not hold).
 */
import { decodeJwt } from 'jose';
import type {
  FhirVersion,
  ReferencePartner,
  ReferencePartnerOptions,
} from '../../src/reference-partner/index.js';
import type { Json } from './helpers.js';
import {
  entries,
  fhirGet,
  get,
  medicationType,
  postForm,
  postJson,
  serverTimingMs,
  sleep,
  token,
  tokenRequest,
} from './helpers.js';

export interface FaultDetector {
  options?: ReferencePartnerOptions;
  /** Takes seconds (waits out a token or measures a delay): left out of the narrowness sweep. */
  slow?: boolean;
  /** Changes server state (a secret rotation): needs a partner of its own. */
  mutates?: boolean;
  run(p: ReferencePartner, v: FhirVersion): Promise<string[]>;
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const MED = medicationType;

/** Metadata is fetched with a token so that only META-01 depends on anonymous access. */
async function capability(p: ReferencePartner, v: FhirVersion): Promise<Json> {
  return (await fhirGet(p, v, 'metadata', await token(p, p.tenants[1]))).json;
}

function rest(c: Json): Json {
  return (
    ((c.rest as Json[] | undefined) ?? []).find((r) => r.mode === 'server') ??
    (c.rest as Json[] | undefined)?.[0] ??
    {}
  );
}

function declared(c: Json, type: string): Json | undefined {
  return ((rest(c).resource as Json[] | undefined) ?? []).find((r) => r.type === type);
}

function interactionsOf(r: Json | undefined): string[] {
  return ((r?.interaction as Json[] | undefined) ?? []).map((i) => i.code as string);
}

/** Tenant B's data: the detectors read it, so that ROUTE-01 (which hides tenant A) stays narrow. */
async function all(p: ReferencePartner, v: FhirVersion, type: string, query = ''): Promise<Json[]> {
  const t = await token(p, p.tenants[1]);
  const r = await fhirGet(p, v, `${type}?_count=1000${query ? `&${query}` : ''}`, t);
  return entries(r.json);
}

async function probePatient(p: ReferencePartner, v: FhirVersion): Promise<{ patient: Json; bearer: string }> {
  const bearer = await token(p, p.tenants[1]);
  const r = await fhirGet(p, v, 'Patient?_count=1', bearer);
  const patient = entries(r.json)[0];
  if (!patient) throw new Error('no probe patient');
  return { patient, bearer };
}

function familyOf(patient: Json, v: FhirVersion): string {
  const name = (patient.name as Json[])[0] ?? {};
  return v === 'dstu2' ? ((name.family as string[])[0] ?? '') : (name.family as string);
}

function mrnOf(patient: Json): string {
  return ((patient.identifier as Json[])[0]?.value as string) ?? '';
}

async function patientSearch(
  p: ReferencePartner,
  v: FhirVersion,
  bearer: string,
  fields: Record<string, string>,
): Promise<Json[]> {
  const r = await postForm(`${p.baseUrl(v)}/Patient/_search`, fields, { authorization: `Bearer ${bearer}` });
  if (r.status !== 200 || r.json.type !== 'searchset') return [];
  return entries(r.json);
}

function problems(...pairs: Array<[boolean, string]>): string[] {
  return pairs.filter(([ok]) => !ok).map(([, why]) => why);
}

function everyResource(list: Json[], what: string, test: (r: Json) => boolean): string[] {
  if (list.length === 0) return [`no ${what} served`];
  const bad = list.filter((r) => !test(r));
  return bad.length === 0
    ? []
    : [`${bad.length} of ${list.length} ${what} fail (e.g. ${String(bad[0]?.id)})`];
}

const coding0 = (cc: Json | undefined): Json | undefined => (cc?.coding as Json[] | undefined)?.[0];

/** Top-level Patient elements of DSTU2 and STU3, for RES-VAL-1 without the definitions folder. */
const PATIENT_ELEMENTS = new Set([
  'resourceType',
  'id',
  'meta',
  'implicitRules',
  'language',
  'text',
  'contained',
  'extension',
  'modifierExtension',
  'identifier',
  'active',
  'name',
  'telecom',
  'gender',
  'birthDate',
  'deceasedBoolean',
  'deceasedDateTime',
  'address',
  'maritalStatus',
  'multipleBirthBoolean',
  'multipleBirthInteger',
  'photo',
  'contact',
  'animal',
  'communication',
  'careProvider',
  'generalPractitioner',
  'managingOrganization',
  'link',
]);

async function budget(
  p: ReferencePartner,
  v: FhirVersion,
  limitMs: number,
  act: () => Promise<Headers>,
): Promise<string[]> {
  void p;
  void v;
  const ms = serverTimingMs(await act());
  return ms < limitMs ? [] : [`took ${ms} ms (budget ${limitMs})`];
}

export const detectors: Record<string, FaultDetector> = {
  'META-01': {
    async run(p, v) {
      const r = await fhirGet(p, v, 'metadata');
      const type = v === 'dstu2' ? 'Conformance' : 'CapabilityStatement';
      return problems(
        [r.status === 200, `status ${r.status}`],
        [r.json.resourceType === type, 'not a capability statement'],
      );
    },
  },
  'META-02': {
    async run(p, v) {
      const c = await capability(p, v);
      return problems([
        /^(1\.0|3\.0)\.\d+$/.test(String(c.fhirVersion)),
        `fhirVersion ${String(c.fhirVersion)}`,
      ]);
    },
  },
  'META-03': {
    async run(p, v) {
      const c = await capability(p, v);
      return problems([
        ((c.rest as Json[]) ?? []).some((r) => r.mode === 'server'),
        'no rest entry with mode server',
      ]);
    },
  },
  'META-04': {
    async run(p, v) {
      const ext = ((rest(await capability(p, v)).security?.extension as Json[]) ?? []).find(
        (e) => e.url === OAUTH_URIS,
      );
      const tokenUri = ((ext?.extension as Json[]) ?? []).find((e) => e.url === 'token')?.valueUri as
        string | undefined;
      return problems([
        tokenUri !== undefined && /^https?:\/\/[^/]/.test(tokenUri),
        `token URI ${String(tokenUri)}`,
      ]);
    },
  },
  'META-05': {
    async run(p, v) {
      const service = (rest(await capability(p, v)).security?.service as Json[]) ?? [];
      const ok = service.some((s) =>
        ((s.coding as Json[]) ?? []).some(
          (c) => c.code === 'OAuth' && c.system === 'http://hl7.org/fhir/restful-security-service',
        ),
      );
      return problems([ok, 'no OAuth service coding']);
    },
  },
  'META-06': {
    async run(p, v) {
      const i = interactionsOf(declared(await capability(p, v), 'Patient'));
      return problems([
        i.includes('read') && i.includes('search-type'),
        `Patient interactions ${i.join(',')}`,
      ]);
    },
  },
  'META-07': {
    async run(p, v) {
      const c = await capability(p, v);
      const types = [
        'Observation',
        'Condition',
        'Encounter',
        'AllergyIntolerance',
        'Coverage',
        'Location',
        MED(v),
      ];
      return types
        .filter(
          (t) =>
            !(
              interactionsOf(declared(c, t)).includes('read') &&
              interactionsOf(declared(c, t)).includes('search-type')
            ),
        )
        .map((t) => `${t} lacks read or search-type`);
    },
  },
  'META-08': {
    async run(p, v) {
      const r = rest(await capability(p, v));
      const codes = ((r.interaction as Json[]) ?? []).map((i) => i.code);
      const ok =
        v === 'stu3'
          ? codes.includes('batch')
          : ['batch', 'both'].includes(r.transactionMode as string) || codes.includes('batch');
      return problems([ok, 'batch not declared']);
    },
  },
  'META-09': {
    async run(p, v) {
      const names = ((declared(await capability(p, v), 'Patient')?.searchParam as Json[]) ?? []).map(
        (s) => s.name,
      );
      const wanted = ['_id', 'family', 'given', 'birthdate', 'identifier', v === 'dstu2' ? 'name' : 'gender'];
      return wanted.filter((w) => !names.includes(w)).map((w) => `search parameter ${w} not declared`);
    },
  },
  'META-10': {
    async run(p, v) {
      const t = await token(p, p.tenants[1]);
      const r = await fhirGet(p, v, 'metadata', t);
      const type = r.headers.get('content-type') ?? '';
      const expected = v === 'dstu2' ? 'application/json+fhir' : 'application/fhir+json';
      return problems(
        [((r.json.format as string[]) ?? []).some((f) => /json/.test(f)), 'json format not declared'],
        [type.startsWith(expected), `content type ${type}`],
      );
    },
  },
  'AUTH-01': {
    async run(p) {
      const r = await tokenRequest(p);
      return problems(
        [r.status === 200, `status ${r.status}`],
        [typeof r.json.access_token === 'string' && r.json.access_token !== '', 'no access_token'],
        [String(r.json.token_type).toLowerCase() === 'bearer', `token_type ${String(r.json.token_type)}`],
        [Number.isInteger(r.json.expires_in) && (r.json.expires_in as number) > 0, 'expires_in'],
      );
    },
  },
  'AUTH-02': {
    async run(p) {
      const r = await tokenRequest(p);
      return problems(
        [/no-store/.test(r.headers.get('cache-control') ?? ''), 'no Cache-Control: no-store'],
        [/no-cache/.test(r.headers.get('pragma') ?? ''), 'no Pragma: no-cache'],
      );
    },
  },
  'AUTH-03': {
    async run(p) {
      const r = await tokenRequest(p, { client_secret: `${p.clientSecret}x` });
      return problems([
        [400, 401].includes(r.status) && r.json.error === 'invalid_client' && !r.json.access_token,
        `status ${r.status} ${String(r.json.error)}`,
      ]);
    },
  },
  'AUTH-04': {
    async run(p) {
      const r = await tokenRequest(p, { client_id: 'someone-else' });
      return problems([
        [400, 401].includes(r.status) && r.json.error === 'invalid_client' && !r.json.access_token,
        `status ${r.status} ${String(r.json.error)}`,
      ]);
    },
  },
  'AUTH-05': {
    async run(p) {
      const out: string[] = [];
      for (const grant of ['password', undefined]) {
        const r = await tokenRequest(p, { grant_type: grant });
        const ok =
          r.status === 400 &&
          ['unsupported_grant_type', 'invalid_request'].includes(r.json.error as string) &&
          !r.json.access_token;
        if (!ok) out.push(`grant_type ${String(grant)}: status ${r.status} ${String(r.json.error)}`);
      }
      return out;
    },
  },
  'AUTH-06': {
    async run(p) {
      const r = await tokenRequest(p);
      const claims = decodeJwt(r.json.access_token as string);
      const expected = Date.now() / 1000 + (r.json.expires_in as number);
      return problems(
        [Math.abs((claims.exp ?? 0) - expected) <= 120, `exp ${claims.exp} vs ${expected.toFixed(0)}`],
        [claims.tid === p.tenants[0] || claims.scope === p.tenants[0], 'tenant claim'],
      );
    },
  },
  'AUTH-07': {
    async run(p, v) {
      const r = await fhirGet(p, v, 'Patient?_count=1');
      return problems(
        [r.status === 401, `status ${r.status}`],
        [/^Bearer/i.test(r.headers.get('www-authenticate') ?? ''), 'no Bearer challenge'],
      );
    },
  },
  'AUTH-08': {
    async run(p, v) {
      const good = await token(p);
      const [h, b, s = ''] = good.split('.');
      const flipped = `${h}.${b}.${s.slice(0, 5)}${s[5] === 'A' ? 'B' : 'A'}${s.slice(6)}`;
      const out: string[] = [];
      for (const bad of [flipped, 'not-a-token-at-all']) {
        const r = await fhirGet(p, v, 'Patient?_count=1', bad);
        if (r.status !== 401) out.push(`status ${r.status} for a tampered token`);
      }
      return out;
    },
  },
  'AUTH-09': {
    options: { tokenTtlSeconds: 1 },
    slow: true,
    async run(p, v) {
      const t = await token(p);
      await sleep(2100);
      const r = await fhirGet(p, v, 'Patient?_count=1', t);
      return problems([r.status === 401, `status ${r.status} for an expired token`]);
    },
  },
  'AUTH-10': {
    mutates: true,
    async run(p) {
      const old = p.clientSecret;
      const fresh = `rotated-${Math.random().toString(36).slice(2)}-secret`;
      const rot = await postForm(p.rotationUrl, {
        client_id: p.clientId,
        client_secret: old,
        new_secret: fresh,
      });
      if (rot.status !== 200) return [`rotation failed ${rot.status}`];
      const withOld = await tokenRequest(p, { client_secret: old });
      const withNew = await tokenRequest(p, { client_secret: fresh });
      return problems(
        [withOld.json.error === 'invalid_client', `old secret: ${withOld.status}`],
        [withNew.status === 200, `new secret: ${withNew.status}`],
      );
    },
  },
  'AUTH-11': {
    async run(p) {
      const r = await tokenRequest(p);
      return problems([!r.text.includes(p.clientSecret), 'the secret is echoed']);
    },
  },
  'ROUTE-01': {
    async run(p, v) {
      const out: string[] = [];
      for (const tenant of p.tenants) {
        const r = await fhirGet(p, v, 'Patient?_count=5', await token(p, tenant));
        if (entries(r.json).length === 0) out.push(`no patient for tenant ${tenant}`);
      }
      return out;
    },
  },
  'ROUTE-02': {
    async run(p, v) {
      const [a, b] = [await token(p, p.tenants[0]), await token(p, p.tenants[1])];
      const out: string[] = [];
      for (const [mine, theirs] of [
        [a, b],
        [b, a],
      ] as const) {
        const patient = entries((await fhirGet(p, v, 'Patient?_count=1', mine)).json)[0] ?? {};
        const read = await fhirGet(p, v, `Patient/${String(patient.id)}`, theirs);
        // Never the resource: a 200 OperationOutcome for an unknown id is RES-READ-1's failure, not a leak.
        if (read.json.id === patient.id)
          out.push(`cross-tenant read answered ${read.status} with the patient`);
        const found = entries((await fhirGet(p, v, `Patient?identifier=${mrnOf(patient)}`, theirs)).json);
        if (found.length > 0) out.push('cross-tenant MRN search found the patient');
      }
      return out;
    },
  },
  'ROUTE-03': {
    async run(p, v) {
      const r = await tokenRequest(p, { scope: '0b7f6a51-3c4d-4e5f-8a9b-0c1d2e3f4a5b' });
      if (r.status !== 200) return problems([r.status >= 400 && r.status < 500, `status ${r.status}`]);
      const data = await fhirGet(p, v, 'Patient?_count=1', r.json.access_token as string);
      return problems([
        [401, 403].includes(data.status),
        `unknown tenant token reached data (${data.status})`,
      ]);
    },
  },
  'ROUTE-04': {
    async run(p, v) {
      const r = await tokenRequest(p, { scope: undefined });
      if (r.status !== 200) return problems([r.status >= 400 && r.status < 500, `status ${r.status}`]);
      const data = await fhirGet(p, v, 'Patient?_count=1', r.json.access_token as string);
      return problems([[401, 403].includes(data.status), `scope-less token reached data (${data.status})`]);
    },
  },
  'ROUTE-05': {
    async run(p) {
      const out: string[] = [];
      for (const scope of [
        'not-a-guid',
        "' OR 1=1 --",
        '../../etc/passwd',
        'x'.repeat(4096),
        'Ünïcødé ☃ 患者',
      ]) {
        const r = await tokenRequest(p, { scope });
        if (!(r.status >= 400 && r.status < 500) || r.json.access_token)
          out.push(`scope ${scope.slice(0, 20)}: ${r.status}`);
      }
      return out;
    },
  },
  'RES-PAT-1': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Patient'), 'Patients', (r) => {
        const n = (r.name as Json[])?.[0] ?? {};
        const mr = ((r.identifier as Json[]) ?? []).some((i) =>
          ((i.type?.coding as Json[]) ?? []).some((c) => c.code === 'MR'),
        );
        return Boolean(n.family && (n.given as string[])?.length && r.gender && r.birthDate && mr);
      });
    },
  },
  'RES-PAT-2': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Patient'), 'Patients', (r) => {
        const n = (r.name as Json[])?.[0] ?? {};
        const gp = (v === 'dstu2' ? r.careProvider : r.generalPractitioner) as Json[] | undefined;
        return Boolean(n.use && (n.prefix as string[])?.length && gp?.[0]?.display);
      });
    },
  },
  'RES-OBS-1': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Observation'), 'Observations', (r) => {
        const base = Boolean(r.effectiveDateTime && coding0(r.code)?.code);
        if (r.component)
          return (
            base &&
            (r.component as Json[]).every(
              (c) => coding0(c.code)?.code && typeof c.valueQuantity?.value === 'number',
            )
          );
        return base && typeof r.valueQuantity?.value === 'number';
      });
    },
  },
  'RES-OBS-2': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Observation'), 'Observations', (r) => {
        const q =
          (r.valueQuantity as Json | undefined) ?? (r.component as Json[] | undefined)?.[0]?.valueQuantity;
        return Boolean(coding0(r.code)?.display && q?.unit);
      });
    },
  },
  'RES-CON-1': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Condition'), 'Conditions', (r) =>
        Boolean(coding0(r.code)?.display),
      );
    },
  },
  'RES-CON-2': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Condition'), 'Conditions', (r) =>
        Boolean((v === 'dstu2' ? r.dateRecorded : r.assertedDate) && r.severity),
      );
    },
  },
  'RES-ENC-1': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Encounter'), 'Encounters', (r) =>
        Boolean(r.status && coding0((r.type as Json[])?.[0])?.display),
      );
    },
  },
  'RES-ENC-2': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Encounter'), 'Encounters', (r) =>
        Boolean(r.period?.start && (r.location as Json[])?.[0]?.location?.display),
      );
    },
  },
  'RES-ALG-1': {
    async run(p, v) {
      return everyResource(await all(p, v, 'AllergyIntolerance'), 'allergies', (r) => {
        const cc = (v === 'dstu2' ? r.substance : r.code) as Json | undefined;
        const named = Boolean(cc?.text || coding0(cc)?.display);
        return named && Boolean(v === 'dstu2' ? r.status : r.clinicalStatus || r.verificationStatus);
      });
    },
  },
  'RES-ALG-2': {
    async run(p, v) {
      return everyResource(await all(p, v, 'AllergyIntolerance'), 'allergies', (r) => {
        const reaction = (r.reaction as Json[])?.[0];
        const m = (reaction?.manifestation as Json[])?.[0];
        if (v === 'dstu2')
          return Boolean(r.recordedDate && r.note?.text && reaction?.substance?.text && m?.text);
        return Boolean(
          r.assertedDate && (r.note as Json[])?.[0]?.text && coding0(reaction?.substance) && coding0(m),
        );
      });
    },
  },
  'RES-MED-1': {
    async run(p, v) {
      return everyResource(await all(p, v, MED(v)), 'medication orders', (r) => {
        const med = Boolean(r.medicationCodeableConcept?.text || r.medicationReference?.display);
        if (v === 'dstu2') return Boolean(r.dateWritten && r.prescriber?.display && med);
        return Boolean(r.authoredOn && r.requester?.agent?.display && med);
      });
    },
  },
  'RES-MED-2': {
    async run(p, v) {
      return everyResource(await all(p, v, MED(v)), 'medication orders', (r) => {
        const dosage = Boolean((r.dosageInstruction as Json[])?.[0]?.text);
        return v === 'dstu2' ? Boolean(r.dateEnded) && dosage : dosage && Boolean(r.text?.div);
      });
    },
  },
  'RES-COV-1': {
    async run(p, v) {
      return everyResource(await all(p, v, 'Coverage'), 'coverages', (r) =>
        v === 'dstu2'
          ? Boolean(r.plan || r.issuer?.display)
          : Boolean(r.grouping?.groupDisplay && r.grouping?.planDisplay && r.period && r.subscriberId),
      );
    },
  },
  'RES-LOC-1': {
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      const refs = new Set(
        (await all(p, v, 'Encounter')).map((e) => (e.location as Json[])[0]?.location?.reference as string),
      );
      const out: string[] = [];
      for (const ref of refs) {
        const r = await fhirGet(p, v, ref, bearer);
        if (r.status !== 200 || r.json.resourceType !== 'Location') out.push(`${ref}: ${r.status}`);
      }
      return out;
    },
  },
  'RES-VAL-1': {
    async run(p, v) {
      return everyResource(
        await all(p, v, 'Patient'),
        'Patients',
        (r) =>
          Object.keys(r).every((k) => PATIENT_ELEMENTS.has(k)) &&
          ['male', 'female', 'other', 'unknown'].includes(r.gender as string),
      );
    },
  },
  'RES-READ-1': {
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      const out: string[] = [];
      for (const patient of (await all(p, v, 'Patient')).slice(0, 3)) {
        const r = await fhirGet(p, v, `Patient/${String(patient.id)}`, bearer);
        if (r.status !== 200 || r.json.id !== patient.id)
          out.push(`read of ${String(patient.id)}: ${r.status}`);
      }
      const missing = await fhirGet(p, v, 'Patient/does-not-exist', bearer);
      if (missing.status !== 404) out.push(`unknown id answered ${missing.status}`);
      return out;
    },
  },
  'SRCH-PAT-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = await patientSearch(p, v, bearer, { _id: patient.id as string });
      return problems([found.length === 1 && found[0]?.id === patient.id, `${found.length} entries`]);
    },
  },
  'SRCH-PAT-2': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const part = familyOf(patient, v).slice(0, 3);
      const found = await patientSearch(p, v, bearer, {
        [v === 'dstu2' ? 'family:contains' : 'family']: part,
      });
      const ok =
        found.some((f) => f.id === patient.id) &&
        found.every((f) => familyOf(f, v).toLowerCase().includes(part.toLowerCase()));
      return problems([ok, `family ${part}: ${found.length} entries, some not matching`]);
    },
  },
  'SRCH-PAT-3': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const given = ((patient.name as Json[])[0]?.given as string[])[0] ?? '';
      const part = given.slice(0, 3).toLowerCase();
      const out: string[] = [];
      const queries: Array<[string, (f: Json) => string]> = [
        ['given', (f) => ((f.name as Json[])[0]?.given as string[]).join(' ')],
      ];
      if (v === 'dstu2') queries.push(['name', (f) => JSON.stringify(f.name)]);
      for (const [param, text] of queries) {
        const found = await patientSearch(p, v, bearer, { [param]: part });
        const ok =
          found.some((f) => f.id === patient.id) && found.every((f) => text(f).toLowerCase().includes(part));
        if (!ok) out.push(`${param} ${part}: ${found.length} entries, some not matching`);
      }
      return out;
    },
  },
  'SRCH-PAT-4': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = await patientSearch(p, v, bearer, { birthdate: patient.birthDate as string });
      const ok =
        found.some((f) => f.id === patient.id) && found.every((f) => f.birthDate === patient.birthDate);
      return problems([ok, `birthdate: ${found.length} entries`]);
    },
  },
  'SRCH-PAT-5': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = await patientSearch(p, v, bearer, { identifier: mrnOf(patient) });
      return problems([
        found.length === 1 && found[0]?.id === patient.id,
        `identifier: ${found.length} entries`,
      ]);
    },
  },
  'SRCH-PAT-6': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = await patientSearch(p, v, bearer, { gender: patient.gender as string });
      const ok = found.length > 0 && found.every((f) => f.gender === patient.gender);
      return problems([ok, `gender: ${found.length} entries, some of another gender`]);
    },
  },
  'SRCH-CNT-1': {
    async run(p, v) {
      const r = await fhirGet(p, v, 'Patient?_count=2', await token(p, p.tenants[1]));
      const n = entries(r.json).length;
      return problems([
        n <= 2 && n > 0 && (r.json.total as number) >= n,
        `${n} entries, total ${String(r.json.total)}`,
      ]);
    },
  },
  'SRCH-OBS-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const sort = v === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
      const r = await fhirGet(
        p,
        v,
        `Observation?patient=${String(patient.id)}&category=vital-signs&${sort}`,
        bearer,
      );
      const found = entries(r.json);
      const dates = found.map((o) => o.effectiveDateTime as string);
      const sorted = dates.every((d, i) => i === 0 || (dates[i - 1] ?? '') >= d);
      const own = found.every((o) => o.subject?.reference === `Patient/${String(patient.id)}`);
      const vitals = found.every((o) => JSON.stringify(o.category).includes('vital-signs'));
      return problems(
        [found.length > 1, 'no vital signs'],
        [sorted, 'not newest first'],
        [own && vitals, 'foreign or non-vital entries'],
      );
    },
  },
  'SRCH-CON-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = entries(
        (await fhirGet(p, v, `Condition?patient=${String(patient.id)}&_count=10`, bearer)).json,
      );
      const key = v === 'dstu2' ? 'patient' : 'subject';
      return everyResource(found, 'conditions', (c) => c[key]?.reference === `Patient/${String(patient.id)}`);
    },
  },
  'SRCH-ENC-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const sort = v === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
      const latest = entries(
        (await fhirGet(p, v, `Encounter?patient=${String(patient.id)}&${sort}&_count=1`, bearer)).json,
      );
      const every = entries((await fhirGet(p, v, `Encounter?patient=${String(patient.id)}`, bearer)).json);
      const newest = every
        .map((e) => e.period.start as string)
        .sort()
        .pop();
      return problems([latest[0]?.period?.start === newest, 'not the latest encounter']);
    },
  },
  'SRCH-ALG-1': {
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      const allergic = (await all(p, v, 'AllergyIntolerance'))[0];
      const pid = (allergic?.patient?.reference as string).replace('Patient/', '');
      const found = entries((await fhirGet(p, v, `AllergyIntolerance?patient=${pid}`, bearer)).json);
      return everyResource(found, 'allergies', (a) => a.patient?.reference === `Patient/${pid}`);
    },
  },
  'SRCH-MED-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = entries(
        (await fhirGet(p, v, `${MED(v)}?patient=${String(patient.id)}&_count=10`, bearer)).json,
      );
      const key = v === 'dstu2' ? 'patient' : 'subject';
      return everyResource(found, 'orders', (m) => m[key]?.reference === `Patient/${String(patient.id)}`);
    },
  },
  'SRCH-COV-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const found = entries((await fhirGet(p, v, `Coverage?patient=${String(patient.id)}`, bearer)).json);
      const key = v === 'dstu2' ? 'subscriber' : 'beneficiary';
      return everyResource(found, 'coverages', (c) => c[key]?.reference === `Patient/${String(patient.id)}`);
    },
  },
  'BATCH-1': {
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      const urls = [
        `Patient/${String(patient.id)}`,
        `Condition?patient=${String(patient.id)}`,
        'Patient/missing-one',
      ];
      const r = await postJson(
        p.baseUrl(v),
        {
          resourceType: 'Bundle',
          type: 'batch',
          entry: urls.map((url) => ({ request: { method: 'GET', url } })),
        },
        bearer,
      );
      const e = (r.json.entry as Json[]) ?? [];
      const single = await fhirGet(p, v, 'Patient/missing-one', bearer);
      return problems(
        [r.json.type === 'batch-response', `type ${String(r.json.type)}`],
        [e.length === 3, `${e.length} entries`],
        [
          e[0]?.resource?.id === patient.id && e[0]?.response?.status?.startsWith('200'),
          'entry 1 is not the patient',
        ],
        [e[1]?.resource?.type === 'searchset', 'entry 2 is not the search'],
        [
          String(e[2]?.response?.status).startsWith(String(single.status)),
          'entry 3 differs from the single read',
        ],
      );
    },
  },
  'LAT-01': {
    slow: true,
    run: (p, v) => budget(p, v, 1000, async () => (await fhirGet(p, v, 'metadata')).headers),
  },
  'LAT-02': {
    slow: true,
    run: (p, v) => budget(p, v, 1000, async () => (await tokenRequest(p)).headers),
  },
  'LAT-03': {
    slow: true,
    async run(p, v) {
      const { patient, bearer } = await probePatient(p, v);
      return budget(
        p,
        v,
        500,
        async () => (await fhirGet(p, v, `Patient/${String(patient.id)}`, bearer)).headers,
      );
    },
  },
  'LAT-04': {
    slow: true,
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      return budget(p, v, 1000, async () => (await fhirGet(p, v, 'Patient?_count=5', bearer)).headers);
    },
  },
  'LAT-05': {
    slow: true,
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      const body = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'GET', url: 'Patient?_count=1' } }],
      };
      return budget(p, v, 2000, async () => (await postJson(p.baseUrl(v), body, bearer)).headers);
    },
  },
  'LAT-06': {
    slow: true,
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => fhirGet(p, v, 'Patient?_count=2', bearer)),
      );
      const failed = replies.filter((r) => r.status !== 200).length;
      return problems([failed === 0, `${failed} of 8 concurrent requests failed`]);
    },
  },
  'SEC-03': {
    async run(p, v) {
      const bearer = await token(p, p.tenants[1]);
      const out: string[] = [];
      // Errors no other fault changes: an unsupported type, a bad _count, a batch that is not JSON.
      const replies = [
        await fhirGet(p, v, 'Basic/1', bearer),
        await get(`${p.baseUrl(v)}/Patient?_count=many`, bearer),
        await postJson(p.baseUrl(v), '{"resourceType": "Bundle", ', bearer),
      ];
      for (const r of replies) {
        if (r.json.resourceType !== 'OperationOutcome')
          out.push(`${r.status} body is not an OperationOutcome`);
        if (/\n\s+at |\.[jt]s:\d+|node:internal/.test(r.text))
          out.push(`${r.status} body carries a stack trace`);
      }
      return out;
    },
  },
};
