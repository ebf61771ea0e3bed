/** Where command output goes: process.stdout/stderr in the binary, a collector in tests. */
export interface TextOutput {
  write(text: string): unknown;
}

/**
 * What every command runs with. The binary builds it from the resolved target (cli/target.ts);
 * integration tests build it directly from a test stack. Storage modules are imported by the
 * commands with `await import(...)`, so they create their SDK clients only after the target's
 * environment (endpoints, region) is in place.
 */
export interface CommandContext {
  tableName: string;
  /** derives lead ids (and so suppression hashes) from addresses; never rotated (shared/security/app-secrets.ts) */
  leadIdKey: string;
  /** results: JSON or tables, nothing else, so they can be piped */
  out: TextOutput;
  /** progress, warnings and notes */
  err: TextOutput;
  /** the CLI's clock; read once per command */
  now: () => Date;
}
