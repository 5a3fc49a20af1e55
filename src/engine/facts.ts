/**
 * What checks tell each other, declared and typed. A check names the facts it `uses` and gets their
 * values as arguments; a check that `provides` a fact sets it once. The engine orders checks by these
 * declarations and skips a check whose fact is missing, naming the check that should have provided it.
 *
 * A collection is what many checks add to and one reads when all of them have run (every token answer,
 * every returned resource). A run cache is a value the first check to ask computes and later ones reuse
 * (which secret works): it orders nothing and no check waits for it.
 */

/** `T` is carried in a function type so that `Fact<string>` and `Fact<number>` do not mix. */
interface Typed<T> {
  readonly name: string;
  readonly type?: (value: T) => T;
}

export interface Fact<T> extends Typed<T> {
  readonly kind: 'fact';
  /** Kept to the end of the run, for the report's target, even once no check is left to use it. */
  readonly keep?: boolean;
}

export interface Collection<T> extends Typed<T> {
  readonly kind: 'collection';
  readonly create: () => T;
}

/** A fact a check reads if the run learned it, and judges without otherwise (a default budget, say). */
export interface Optional<T> {
  readonly kind: 'optional';
  readonly fact: Fact<T>;
}

export interface RunCache<T> extends Typed<T> {
  readonly kind: 'cache';
  readonly create: () => T;
}

/** `name` says what the fact is, in words a skip message can quote: "the token URL". */
export function fact<T>(name: string, options: { keep?: boolean } = {}): Fact<T> {
  return { kind: 'fact', name, ...options };
}

export function optional<T>(of: Fact<T>): Optional<T> {
  return { kind: 'optional', fact: of };
}

export function collection<T>(name: string, create: () => T): Collection<T> {
  return { kind: 'collection', name, create };
}

/**
 * A cache that checks name in their `uses` lives until the last of them has run; one that no check
 * names lives for the whole run.
 */
export function runCache<T>(name: string, create: () => T): RunCache<T> {
  return { kind: 'cache', name, create };
}

export type Input = Fact<any> | Optional<any> | Collection<any> | RunCache<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Inputs = Readonly<Record<string, Input>>;

type ValueOf<I> =
  I extends Fact<infer T>
    ? T
    : I extends Optional<infer T>
      ? T | undefined
      : I extends Collection<infer T>
        ? T
        : I extends RunCache<infer T>
          ? T
          : never;

/** The values a check's `run` receives, one per name in its `uses`. */
export type Given<U extends Inputs> = { readonly [K in keyof U]: ValueOf<U[K]> };

type Key = Fact<any> | Collection<any> | RunCache<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The values of one run. */
export class FactStore {
  private readonly values = new Map<Key, unknown>();

  set<T>(fact: Fact<T>, value: T): void {
    this.values.set(fact, value);
  }

  has<T>(fact: Fact<T>): boolean {
    return this.values.has(fact);
  }

  /** A fact's value whether or not its check passed: the report's target names what a run learned. */
  peek<T>(fact: Fact<T>): T | undefined {
    return this.values.get(fact) as T | undefined;
  }

  /** Forgets every value whose key `kept` refuses, so that what no check will read can be collected. */
  forget(kept: (key: Key) => boolean): void {
    for (const key of this.values.keys()) if (!kept(key)) this.values.delete(key);
  }

  /** A collection's or cache's value, made empty on first use. */
  shared<T>(key: Collection<T> | RunCache<T>): T {
    if (!this.values.has(key)) this.values.set(key, key.create());
    return this.values.get(key) as T;
  }
}
