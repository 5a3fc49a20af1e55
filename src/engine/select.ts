/**
 * Which checks a run executes, and in what order. The order comes from the declarations: a check runs
 * after the check that provides each fact it uses, and after every check that adds to a collection it
 * reads. Among checks free to run, families go in catalogue order (the capability statement first,
 * latency last, so that sampling never slows the other checks) and a family's checks in the order its
 * file declares them.
 */
import { families, requirement } from '../core/requirements.js';
import type { Check } from './check.js';
import type { Fact, Input } from './facts.js';

/** The check that provides each fact, checked to be exactly one. */
export function providers(all: readonly Check[]): Map<Fact<unknown>, Check> {
  const byFact = new Map<Fact<unknown>, Check>();
  const ids = new Set<string>();
  for (const check of all) {
    if (ids.has(check.id)) throw new Error(`two checks have the id ${check.id}`);
    ids.add(check.id);
    requirement(check.requirement);
    for (const fact of check.provides ?? []) {
      const other = byFact.get(fact);
      if (other) throw new Error(`${fact.name} is provided by both ${other.id} and ${check.id}`);
      byFact.set(fact, check);
    }
  }
  for (const check of all) {
    for (const input of inputsOf(check)) {
      if (input.kind === 'fact' && !byFact.has(input)) {
        throw new Error(`${check.id} uses ${input.name}, which no check provides`);
      }
    }
  }
  return byFact;
}

export function inputsOf(check: Check): Input[] {
  return Object.values(check.uses ?? {});
}

/** The checks that must have run before `check`. */
function before(check: Check, all: readonly Check[], byFact: Map<Fact<unknown>, Check>): Check[] {
  return inputsOf(check).flatMap((input) => {
    if (input.kind === 'collection')
      return all.filter((other) => other !== check && (other.adds ?? []).includes(input));
    if (input.kind === 'cache') return [];
    const provider = byFact.get(input.kind === 'fact' ? input : input.fact);
    return provider ? [provider] : [];
  });
}

/** `all` in the order a run executes them; throws (a harness bug) when checks wait on each other. */
export function orderChecks(all: readonly Check[]): Check[] {
  const byFact = providers(all);
  const rank = (check: Check): number =>
    families.indexOf(requirement(check.requirement).family) * all.length + all.indexOf(check);
  const waitingOn = new Map(all.map((c) => [c, new Set(before(c, all, byFact))]));
  const ordered: Check[] = [];
  const done = new Set<Check>();
  while (ordered.length < all.length) {
    let next: Check | undefined;
    for (const check of all) {
      if (done.has(check) || [...waitingOn.get(check)!].some((c) => !done.has(c))) continue;
      if (!next || rank(check) < rank(next)) next = check;
    }
    if (!next) {
      const stuck = all.filter((c) => !done.has(c)).map((c) => c.id);
      throw new Error(`these checks wait on each other's facts: ${stuck.join(', ')}`);
    }
    ordered.push(next);
    done.add(next);
  }
  return ordered;
}

/**
 * The checks whose requirement matches an `--only` prefix, plus the providers of every fact they use
 * (transitively), plus the checks that record the target once what they read is fetched; in run order.
 */
export function selectChecks(all: readonly Check[], only: string[] | undefined): Check[] {
  const ordered = orderChecks(all);
  if (!only || only.length === 0) return ordered;
  const byFact = providers(all);
  const prefixes = only.map((p) => p.trim().toUpperCase()).filter(Boolean);
  const wanted = new Set<Check>();
  const factsOf = (check: Check): Check[] =>
    inputsOf(check).flatMap((input) => (input.kind === 'fact' ? [byFact.get(input)!] : []));
  const add = (check: Check): void => {
    if (wanted.has(check)) return;
    wanted.add(check);
    for (const provider of factsOf(check)) add(provider);
  };
  for (const check of ordered) {
    if (prefixes.some((p) => check.requirement.toUpperCase().startsWith(p))) add(check);
  }
  // After the prerequisites are known: the target is recorded from what they fetch anyway.
  for (const check of ordered) {
    if (check.recordsTarget && factsOf(check).every((provider) => wanted.has(provider))) add(check);
  }
  return ordered.filter((c) => wanted.has(c));
}
