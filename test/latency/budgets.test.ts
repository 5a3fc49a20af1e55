import { describe, expect, it } from 'vitest';
import { budgetFor, defaultBudgets } from '../../src/latency/budgets.js';
import { loadProfile } from '../../src/profile/load.js';
import { testOptions } from '../helpers/engine.js';

const profile = loadProfile('patients-app-stu3');

describe('budgets', () => {
  it('come from the profile', () => {
    const options = testOptions();
    expect(budgetFor(options, profile, 'search')).toEqual({
      p95: profile.budgets.search,
      source: 'profile patients-app-stu3',
    });
    expect(budgetFor(options, profile, 'read').p95).toBe(profile.budgets.read);
  });

  it('a run override wins for its class only', () => {
    const options = testOptions({ budgets: { 'search.p95': 800 } });
    const changed = { ...profile, budgets: { ...profile.budgets, read: 123 } };
    expect(budgetFor(options, changed, 'search')).toEqual({ p95: 800, source: 'run option' });
    expect(budgetFor(options, changed, 'read')).toEqual({ p95: 123, source: 'profile patients-app-stu3' });
  });

  it("fall back to the catalogue's defaults without a profile", () => {
    expect(budgetFor(testOptions(), undefined, 'batch')).toEqual({ p95: 2000, source: 'default' });
    expect(defaultBudgets).toEqual({ metadata: 1000, token: 1000, read: 500, search: 1000, batch: 2000 });
  });
});
