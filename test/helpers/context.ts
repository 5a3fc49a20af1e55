/**
 * A RunContext outside the engine, for tests and benchmarks that call the partner-facing helpers
 * directly. Facts it is given are kept as the engine keeps them, without the engine's checks.
 */
import type { Diagnosis } from '../../src/core/model.js';
import type { RunContext } from '../../src/engine/context.js';
import { FactStore } from '../../src/engine/facts.js';
import type { RunOptions } from '../../src/engine/options.js';
import type { HttpClient } from '../../src/http/client.js';
import type { Redactor } from '../../src/http/redact.js';

export function standaloneContext(parts: {
  options: RunOptions;
  client: HttpClient;
  redactor: Redactor;
  signal?: AbortSignal;
}): RunContext {
  const facts = new FactStore();
  let diagnosis: Diagnosis | undefined;
  return {
    options: parts.options,
    http: parts.client,
    client: parts.client,
    redactor: parts.redactor,
    signal: parts.signal ?? new AbortController().signal,
    get diagnosis() {
      return diagnosis;
    },
    diagnose: (d) => void (diagnosis ??= d),
    provide: (fact, value) => facts.set(fact, value),
    collect: (collection) => facts.shared(collection),
    cached: (cache) => facts.shared(cache),
    addLatency: () => undefined,
    progress: () => undefined,
  };
}
