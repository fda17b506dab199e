/** What a command touches outside itself, so tests can run commands in-process. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** HTTP for `publish`; the global `fetch` by default (looked up per call, so msw sees it). */
  fetch: typeof globalThis.fetch;
}

export const processIo = (): CliIo => ({
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
  env: process.env,
  fetch: (input, init) => globalThis.fetch(input, init),
});

/** A mistake in how the command was called: exit code 2, with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}
