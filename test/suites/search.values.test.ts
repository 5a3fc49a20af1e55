/** Search values come from the probe patient's own data; placeholders fill or say what is missing. */
import { describe, expect, it } from 'vitest';
import { fillRequest, getForm, label } from '../../src/profile/requests.js';
import { epoch, refersToPatient } from '../../src/partner/search-judge.js';
import { fill, leadingPart, probeValues } from '../../src/fhir/search-values.js';

describe('probe values', () => {
  it('takes a leading part of the names: selective, but found by starts-with and contains alike', () => {
    expect(leadingPart('Nakamura')).toBe('Nakam');
    expect(leadingPart('Li')).toBe('Li');
    expect(leadingPart('Lee')).toBe('Lee');
    expect(leadingPart('Smith')).toBe('Smi');
    expect(leadingPart('Ødegård')).toBe('Ødegå');
  });

  it('reads DSTU2 (family list) and STU3 (family string) names, the official one first, and the MR identifier', () => {
    const dstu2 = probeValues(
      {
        name: [
          { use: 'nickname', family: ['Bob'], given: ['Bobby'] },
          { use: 'official', family: ['Robertson'], given: ['Robert', 'J'] },
        ],
        birthDate: '1950-01-02',
        gender: 'male',
        identifier: [
          { system: 'urn:ssn', value: '123' },
          { type: { coding: [{ code: 'MR' }] }, system: 'urn:mrn', value: 'M-9' },
        ],
      },
      'p1',
    );
    expect(dstu2).toEqual({
      id: 'p1',
      family: 'Robertson',
      familyPrefix: 'Robert',
      given: 'Robert',
      givenPrefix: 'Robe',
      birthDate: '1950-01-02',
      gender: 'male',
      mrn: 'M-9',
      mrnSystem: 'urn:mrn',
    });
    const stu3 = probeValues(
      { name: [{ family: 'Okafor', given: ['Ada'] }], identifier: [{ value: 'X1' }] },
      'p2',
    );
    expect(stu3).toMatchObject({ family: 'Okafor', familyPrefix: 'Okaf', givenPrefix: 'Ada', mrn: 'X1' });
    expect(stu3.birthDate).toBeUndefined();
  });

  it('fills placeholders, and names the one the probe cannot fill', () => {
    const values = probeValues({ name: [{ family: 'Okafor' }] }, 'p2');
    expect(fill('Patient/{probe.id}', values)).toEqual({ ok: true, value: 'Patient/p2' });
    expect(fill('{probe.birthDate}', values)).toEqual({ ok: false, missing: 'probe.birthDate' });
  });

  it('builds the request the app sends: GET query string, POST form, batch GET form', () => {
    const values = probeValues({ name: [{ family: 'Da Silva' }] }, 'p 1');
    const post = fillRequest(
      { method: 'POST', path: 'Patient/_search', params: { 'family:contains': '{probe.familyPrefix}' } },
      values,
    );
    expect(post.ok && label(post.request)).toBe('POST Patient/_search family:contains=Da Si');
    expect(post.ok && getForm(post.request)).toBe('Patient?family:contains=Da%20Si');
    const get = fillRequest(
      { path: 'Observation', params: { patient: '{probe.id}', code: ['a', 'b'] } },
      values,
    );
    expect(get.ok && getForm(get.request)).toBe('Observation?patient=p%201&code=a&code=b');
  });

  it('compares FHIR dates and patient references the way servers write them', () => {
    expect(epoch('2020')).toBe(Date.UTC(2020, 0, 1));
    expect(epoch('2020-03')).toBe(Date.UTC(2020, 2, 1));
    expect(epoch('2020-03-04T05:06:07+02:00')).toBe(Date.UTC(2020, 2, 4, 3, 6, 7));
    expect(refersToPatient('Patient/p1', 'p1')).toBe(true);
    expect(refersToPatient('https://ehr.example/fhir/Patient/p1/_history/3', 'p1')).toBe(true);
    expect(refersToPatient('Patient/p10', 'p1')).toBe(false);
    expect(refersToPatient('Group/p1', 'p1')).toBe(false);
  });
});
