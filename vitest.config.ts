import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that measure time against a bound of a few milliseconds: they run after every other file, on
 * their own, because on two cores a neighbouring file's servers and child processes add their own
 * milliseconds to the measurement.
 */
const timing = ['test/latency/accuracy.test.ts'];

export default defineConfig({
  test: {
    // Tests start real loopback servers; two cores cannot run many suites at once without timing noise.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The generated validators are several MB of plain JavaScript: Node imports them as they are,
    // as the built program does, instead of Vite transforming them again in every test file.
    server: { deps: { external: [/\/src\/fhir\/generated\/[^/]+\.validator\.js$/] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...timing],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'timing', include: timing, sequence: { groupOrder: 1 } } },
    ],
  },
});
