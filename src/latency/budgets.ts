/**
 * The p95 budget of each interaction class: the profile's value unless the run overrides it
 * (`--budget search.p95=800` or `budgets:` in the config file). Without a profile the catalogue's
 * defaults apply (requirements.md, LAT).
 */
import type { RunOptions } from '../engine/options.js';
import type { Budgets, Profile } from '../profile/model.js';

export type InteractionClass = keyof Budgets;

export const interactionClasses: readonly InteractionClass[] = [
  'metadata',
  'token',
  'read',
  'search',
  'batch',
];

export const defaultBudgets: Budgets = { metadata: 1000, token: 1000, read: 500, search: 1000, batch: 2000 };

export interface Budget {
  p95: number;
  /** Where the number came from, for the report: `profile patients-app-stu3`, `--budget`… */
  source: string;
}

export function budgetFor(
  options: Pick<RunOptions, 'budgets'>,
  profile: Profile | undefined,
  cls: InteractionClass,
): Budget {
  const override = options.budgets[`${cls}.p95`] ?? options.budgets[cls];
  if (override !== undefined && override > 0) return { p95: override, source: 'run option' };
  const fromProfile = profile?.budgets?.[cls];
  if (profile && fromProfile !== undefined && fromProfile > 0)
    return { p95: fromProfile, source: `profile ${profile.name}` };
  return { p95: defaultBudgets[cls], source: 'default' };
}
