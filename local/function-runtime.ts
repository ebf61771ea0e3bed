import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '../shared/wiring/app-wiring';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the same handler modules that CDK bundles, in this process. Modules are imported lazily, after
 * the local stack has put the emulator endpoints into AWS_ENDPOINT_URL_*, because handlers read their
 * configuration and create their SDK clients once, at import.
 */
export class FunctionRuntime {
  private readonly handlers = new Map<FunctionName, Promise<Handler>>();

  constructor(private readonly projectRoot: string) {}

  async invoke(name: FunctionName, event: unknown): Promise<unknown> {
    const handler = await this.load(name);
    return handler(event, fakeContext(name));
  }

  private load(name: FunctionName): Promise<Handler> {
    let loaded = this.handlers.get(name);
    if (!loaded) {
      const url = pathToFileURL(join(this.projectRoot, FUNCTIONS[name].entry)).href;
      loaded = import(url).then((module: { handler?: Handler }) => {
        if (typeof module.handler !== 'function') throw new Error(`${FUNCTIONS[name].entry} does not export a handler`);
        return module.handler;
      });
      this.handlers.set(name, loaded);
    }
    return loaded;
  }
}

function fakeContext(name: FunctionName): Context {
  const declaration = FUNCTIONS[name] as { timeoutSeconds?: number; memoryMb?: number };
  const deadline = Date.now() + (declaration.timeoutSeconds ?? 30) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `leadpipe-local-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:leadpipe-local-${name}`,
    memoryLimitInMB: String(declaration.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/leadpipe-local-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
