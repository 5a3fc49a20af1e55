import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundleEntries,
  bundleLink,
  bundleTotal,
  bundleType,
  isBundle,
  isResource,
  nextLink,
} from '../../src/fhir/bundle.js';

const searchset = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'fhir', 'stu3', 'bundle-searchset.json'), 'utf8'),
) as unknown;

describe('Bundle helpers', () => {
  it('read a searchset', () => {
    expect(isBundle(searchset)).toBe(true);
    expect(bundleType(searchset)).toBe('searchset');
    expect(bundleTotal(searchset)).toBe(2);
    expect(nextLink(searchset)).toBe('https://fhir.example.org/Patient?family=Chalmers&page=2');
    expect(bundleLink(searchset, 'self')).toBe('https://fhir.example.org/Patient?family=Chalmers');
    expect(bundleEntries(searchset).map((r) => r.resourceType)).toEqual(['Patient', 'Observation']);
    expect(bundleEntries(searchset, { mode: 'match' }).map((r) => r.id)).toEqual(['pat-1']);
    expect(bundleEntries(searchset, { mode: 'include' }).map((r) => r.id)).toEqual(['bp-1']);
    expect(bundleEntries(searchset, { resourceType: 'Observation' }).map((r) => r.id)).toEqual(['bp-1']);
  });

  it('never throw on garbage and answer nothing', () => {
    const junk: unknown[] = [
      undefined,
      null,
      0,
      'Bundle',
      [],
      {},
      { resourceType: 'Patient' },
      { resourceType: 'Bundle', entry: 'x', link: {}, total: '3' },
      {
        resourceType: 'Bundle',
        entry: [null, 1, {}, { resource: 'x' }, { resource: {} }],
        link: [null, { relation: 'next' }, { relation: 'next', url: 5 }],
        total: -1,
      },
      { resourceType: 'Bundle', total: 1.5 },
    ];
    for (const j of junk) {
      expect(bundleEntries(j)).toEqual([]);
      expect(bundleTotal(j)).toBeUndefined();
      expect(nextLink(j)).toBeUndefined();
    }
    expect(isResource({ resourceType: '' })).toBe(false);
    expect(isResource({ resourceType: 'Patient' })).toBe(true);
    expect(isBundle({ resourceType: 'Patient' })).toBe(false);
  });
});
