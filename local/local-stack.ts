import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { APIGatewayProxyEventV2, DynamoDBStreamEvent } from 'aws-lambda';
import { ensureLeadTable } from '../shared/storage/create-lead-table';
import { SCHEDULES, STREAM_RELAYS, type FunctionName, type Schedule } from '../shared/wiring/app-wiring';
import { startDynamoDbLocal } from './dynamodb-local';
import { LocalEventBus } from './event-bus/local-event-bus';
import { freePort } from './free-port';
import { FunctionRuntime } from './function-runtime';
import { LocalHttpServer } from './http-server';
import { LOCAL_BUS_NAME, LOCAL_REGION, LOCAL_TABLE_NAME, localEnvironment } from './local-environment';
import { startS3Emulator } from './s3-emulator';
import { startSesEmulator } from './ses-emulator';
import { startPage } from './start-page';
import { StreamPoller } from './stream-poller';
import { VirtualClock } from './virtual-clock';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface LocalStackOptions {
  port: number;
  /** keep DynamoDB data in memory instead of under .leadpipe/ */
  inMemory?: boolean;
  dataDir?: string;
  /** use an already running DynamoDB Local / SES emulator (the test suite shares one of each) */
  dynamoDbEndpoint?: string;
  sesEndpoint?: string;
  /** defaults to leadpipe-local; tests give each file its own table */
  tableName?: string;
}

export interface LocalStack {
  url: string;
  tableName: string;
  sesEndpoint: string;
  /** the environment the functions run with (endpoints, table, bus, dev secrets) */
  environment: Record<string, string>;
  port: number;
  clock: VirtualClock;
  bus: LocalEventBus;
  drain(): Promise<{ deadLetters: number }>;
  tick(advanceHours: number): Promise<{ now: string }>;
  runSchedules(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The embedded stack behind `npm start`: DynamoDB Local, the SES v2 emulator, a local EventBridge
 * and an HTTP server, all wired from the same route and rule tables as the CDK stack.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stoppers: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  };
  try {
    const clock = new VirtualClock();
    const tableName = options.tableName ?? LOCAL_TABLE_NAME;
    const dynamo = options.dynamoDbEndpoint
      ? { endpoint: options.dynamoDbEndpoint }
      : await startDynamoDbLocal({ dataDir: options.inMemory ? undefined : (options.dataDir ?? join(PROJECT_ROOT, '.leadpipe', 'dynamodb')) });
    if ('stop' in dynamo) stoppers.push(() => dynamo.stop());
    const ses = options.sesEndpoint ? { endpoint: options.sesEndpoint } : await startSesEmulator();
    if ('stop' in ses) stoppers.push(() => ses.stop());

    const s3 = await startS3Emulator(PROJECT_ROOT);
    stoppers.push(() => s3.stop());

    const runtime = new FunctionRuntime(PROJECT_ROOT);
    const bus = new LocalEventBus({ appBusName: LOCAL_BUS_NAME, region: LOCAL_REGION, clock, deliver: (target, event) => runtime.invoke(target, event) });
    const busEndpoint = await bus.listen(await freePort());
    stoppers.push(() => bus.close());

    const http = new LocalHttpServer({
      clock,
      invoke: (name: FunctionName, event: APIGatewayProxyEventV2) => runtime.invoke(name, event),
      startPage,
    });
    const port = await http.listen(options.port);
    stoppers.push(() => http.close());
    const url = `http://localhost:${port}`;

    // Functions read configuration and create SDK clients at import: set the environment first.
    const env: Record<string, string> = { ...localEnvironment({ dynamodb: dynamo.endpoint, ses: ses.endpoint, eventBridge: busEndpoint, s3: s3.endpoint }, url), TABLE_NAME: tableName };
    Object.assign(process.env, env);

    const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION });
    stoppers.push(() => dynamoClient.destroy());
    const { streamArn } = await ensureLeadTable(dynamoClient, tableName);
    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION });
    stoppers.push(() => streams.destroy());
    const pollers = STREAM_RELAYS.map(
      (relay) => new StreamPoller(streams, streamArn, relay, (target: FunctionName, event: DynamoDBStreamEvent) => runtime.invoke(target, event)),
    );
    for (const poller of pollers) await poller.start();
    stoppers.push(() => pollers.forEach((poller) => poller.stop()));

    const drain = async () => {
      // Stream records cause events, events cause writes that cause records: repeat until a full pass finds nothing.
      for (let round = 0; round < 100; round += 1) {
        let delivered = 0;
        for (const poller of pollers) delivered += await poller.pollOnce();
        await bus.idle();
        if (delivered === 0 && bus.isIdle) {
          let again = 0;
          for (const poller of pollers) again += await poller.pollOnce();
          if (again === 0 && bus.isIdle) break;
        }
      }
      return { deadLetters: bus.deadLetters.length };
    };

    const runSchedules = async () => {
      for (const schedule of SCHEDULES as readonly Schedule[]) bus.runSchedule(schedule);
      await bus.idle();
    };

    const tick = async (advanceHours: number) => {
      await drain();
      clock.advanceHours(advanceHours);
      await runSchedules();
      await drain();
      return { now: clock.now().toISOString() };
    };

    const { devRoutes } = await import('./dev-routes');
    http.configure({
      devRoutes: devRoutes({ tableName, sesEndpoint: ses.endpoint, drain, tick, bus, pollers, clock }),
      allowedOrigins: env.ALLOWED_ORIGINS!.split(','),
    });

    return {
      url,
      tableName,
      sesEndpoint: ses.endpoint,
      environment: env,
      port,
      clock,
      bus,
      drain,
      tick,
      runSchedules,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
