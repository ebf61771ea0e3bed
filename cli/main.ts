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

process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env });
