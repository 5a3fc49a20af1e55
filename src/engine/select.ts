/**
 * Which checks a run executes: those whose requirement matches an `--only` prefix, plus every
 * prerequisite they need (transitively), plus the checks that record the target once what they read
 * is fetched, in the order the suites declare them.
 */
import type { Check } from './check.js';

export function selectChecks(all: Check[], only: string[] | undefined): Check[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  for (const check of all) {
    for (const dep of check.requires ?? []) {
      if (!byId.has(dep)) throw new Error(`check ${check.id} requires unknown check ${dep}`);
    }
  }
  if (!only || only.length === 0) return all;
  const prefixes = only.map((p) => p.trim().toUpperCase()).filter(Boolean);
  const wanted = new Set<string>();
  const add = (check: Check): void => {
    if (wanted.has(check.id)) return;
    wanted.add(check.id);
    for (const dep of check.requires ?? []) add(byId.get(dep)!);
  };
  for (const check of all) {
    if (prefixes.some((p) => check.requirement.toUpperCase().startsWith(p))) add(check);
  }
  // After the prerequisites are known: the target is recorded from what they fetch anyway.
  for (const check of all) {
    if (check.recordsTarget && (check.requires ?? []).every((dep) => wanted.has(dep))) add(check);
  }
  return all.filter((c) => wanted.has(c.id));
}
