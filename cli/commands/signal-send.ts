import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEV_INGEST_SECRET } from '../../local/local-environment';
import { CliError } from '../cli-error';
import type { TextOutput } from '../context';
import { isSignalType, SIGNAL_TYPES, sendSignal } from '../signals/send-signal';
import { DEFAULT_LOCAL_STATE, NO_TARGET_MESSAGE, readLocalState } from '../target';

export interface SignalSendOptions {
  type: string;
  email: string;
  id?: string;
  /** overrides the running local stack's URL */
  url?: string;
  /** the discovery file (default .leadpipe/local-stack.json) */
  localState?: string;
  env: NodeJS.ProcessEnv;
  out: TextOutput;
  fetch?: typeof fetch;
}

const discoveryUrl = z.object({ url: z.string() });

/** Checked before anything is sent, so a typo never reaches the stack. */
export function checkSignalArgs(type: string, url: string | undefined): void {
  if (!isSignalType(type)) throw new CliError(`Unknown signal type "${type}": use one of ${SIGNAL_TYPES.join(', ')}`);
  if (url !== undefined && !/^https?:\/\//.test(url)) throw new CliError(`--url must be an http(s) URL, got "${url}"`);
}

/**
 * `leadpipe signal send <type> <email>`: where to post and with which secret. The running local stack
 * (its discovery file) gives both, as for every other command; --url picks another stack, and then the
 * secret is LEADPIPE_INGEST_SECRET or the local development default.
 */
export async function signalSend(options: SignalSendOptions): Promise<number> {
  checkSignalArgs(options.type, options.url);
  const { baseUrl, stackSecret } = resolveStack(options);
  const secret = options.env.LEADPIPE_INGEST_SECRET?.trim() || stackSecret || DEV_INGEST_SECRET;
  // A fresh id unless one is given: each send is then a new interaction; repeating an id shows the dedupe.
  const id = options.id ?? `cli-${randomUUID().slice(0, 8)}`;
  let result: Awaited<ReturnType<typeof sendSignal>>;
  try {
    result = await sendSignal({
      baseUrl,
      secret,
      type: options.type as (typeof SIGNAL_TYPES)[number],
      email: options.email,
      id,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    throw new CliError(`Cannot reach ${baseUrl}: ${(error as Error).message}; is npm start running there?`);
  }
  options.out.write(`POST ${baseUrl}/events ${options.type} ${options.email} id=${id}: ${result.status} ${result.body}\n`);
  if (!result.ok) throw new CliError(`The stack refused the signal (HTTP ${result.status}): ${result.body}`);
  return 0;
}

function resolveStack(options: SignalSendOptions): { baseUrl: string; stackSecret?: string } {
  const file = options.localState ?? DEFAULT_LOCAL_STATE;
  if (options.url === undefined) {
    const target = readLocalState(file, { required: options.localState !== undefined });
    return { baseUrl: urlOf(file), stackSecret: target.environment.LEADPIPE_INGEST_SECRET };
  }
  // --url names the stack; the local stack's secret is used only if that is the stack it names.
  if (!existsSync(file)) return { baseUrl: options.url };
  try {
    const target = readLocalState(file, { required: false });
    return sameOrigin(urlOf(file), options.url)
      ? { baseUrl: options.url, stackSecret: target.environment.LEADPIPE_INGEST_SECRET }
      : { baseUrl: options.url };
  } catch {
    return { baseUrl: options.url };
  }
}

function urlOf(file: string): string {
  const parsed = discoveryUrl.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CliError(`${NO_TARGET_MESSAGE} (${file} has no url)`);
  return parsed.data.url;
}

function sameOrigin(a: string, b: string): boolean {
  const origin = (url: string) => {
    try {
      return new URL(url.replace('//localhost', '//127.0.0.1')).origin;
    } catch {
      return url;
    }
  };
  return origin(a) === origin(b);
}
