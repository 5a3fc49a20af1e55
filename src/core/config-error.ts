/** A problem with what the user asked for: exit code 2 and one sentence that says what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
