/**
 * The p95 budget of each interaction class: the profile's value unless the run overrides it
 * (`--budget search.p95=800` or `budgets:` in the config file). Without a profile the catalogue's
 * defaults apply (requirements.md, LAT).
 */
import type { RunContext } from '../engine/context.js';
import type { Budgets } from '../profile/model.js';

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

export function budgetFor(ctx: Pick<RunContext, 'options' | 'state'>, cls: InteractionClass): Budget {
  const override = ctx.options.budgets[`${cls}.p95`] ?? ctx.options.budgets[cls];
  if (override !== undefined && override > 0) return { p95: override, source: 'run option' };
  const profile = ctx.state.profile;
  const fromProfile = profile?.budgets?.[cls];
  if (fromProfile !== undefined && fromProfile > 0)
    return { p95: fromProfile, source: `profile ${profile!.name}` };
  return { p95: defaultBudgets[cls], source: 'default' };
}
