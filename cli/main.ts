/**
 * `npx leadpipe …` (bin/leadpipe.js runs this file through tsx). Everything lives in run-cli.ts;
 * this file only binds it to the process. It imports nothing that creates an SDK client: the
 * commands import storage modules after the target's environment is applied (see target.ts).
 */
import { runCli } from './run-cli';

// `leadpipe lead export x | head`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

/** y/N on the terminal; only offered when someone is there to answer (stdin and stderr are a terminal). */
async function confirmOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    // "j" too: German operators answer "ja".
    return /^(y|yes|j|ja)$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
process.exitCode = await runCli(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  ...(interactive ? { confirm: confirmOnTerminal } : {}),
});
