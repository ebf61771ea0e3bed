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
import { LocalConsoleIssuer } from './console-auth';
import { LocalHttpServer } from './http-server';
import { LocalQueues } from './queue/local-queue';
import { LOCAL_BUS_NAME, LOCAL_REGION, LOCAL_TABLE_NAME, localEnvironment } from './local-environment';
import { startS3Emulator } from './s3-emulator';
import { startSesEmulator } from './ses-emulator';
import { SesEventPublisher } from './ses-event-publisher';
import { StreamCheckpoints } from './stream-checkpoints';
import { StreamPoller } from './stream-poller';
import { validateFunctionConfiguration } from './validate-configuration';
import { VirtualClock } from './virtual-clock';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const DEFAULT_DATA_DIR = join(PROJECT_ROOT, '.leadpipe');
/** Stands in for the emulator endpoints while the configuration is checked, before they are started. */
const PLANNED = 'http://127.0.0.1:1';

export interface LocalStackOptions {
  port: number;
  /** keep DynamoDB data in memory instead of under the data directory */
  inMemory?: boolean;
  /**
   * Where a persistent stack keeps its state (default .leadpipe/): DynamoDB Local's files, each stream
   * relay's checkpoint and the event bus's unfinished deliveries, so a restart, even after kill -9,
   * carries on where the last run stopped.
   */
  dataDir?: string;
  /** how often the stream is polled in the background; 0: only when drained (default 200) */
  streamPollMs?: number;
  /** use an already running DynamoDB Local / SES emulator (the test suite shares one of each) */
  dynamoDbEndpoint?: string;
  sesEndpoint?: string;
  /** defaults to leadpipe-local; tests give each file its own table */
  tableName?: string;
  /** the virtual clock's first instant (ISO); default: the wall clock's now */
  clockStartsAt?: string;
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
  /** the local SQS of QUEUES, delivering to their consumers */
  queues: LocalQueues;
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
    const tableName = options.tableName ?? LOCAL_TABLE_NAME;
    // Every function's cold-start checks, before anything starts: a bad value stops the start instead of
    // failing requests later. Only the endpoints are not known yet, and no function's configuration reads them.
    const plannedEndpoints = { dynamodb: PLANNED, ses: PLANNED, eventBridge: PLANNED, s3: PLANNED };
    const planned = localEnvironment(plannedEndpoints, `http://localhost:${options.port}`);
    validateFunctionConfiguration({ ...process.env, ...planned, TABLE_NAME: tableName });
    // Only a stack that runs its own DynamoDB Local on disk has state worth keeping; the tests' shared instance does not.
    const dataDir = options.inMemory || options.dynamoDbEndpoint ? undefined : resolve(options.dataDir ?? DEFAULT_DATA_DIR);
    // A persistent stack's clock resumes where the last run's stood: stored data is never ahead of "now".
    const clock = new VirtualClock(options.clockStartsAt, dataDir && join(dataDir, 'virtual-clock.json'));
    const dynamo = options.dynamoDbEndpoint
      ? { endpoint: options.dynamoDbEndpoint }
      : await startDynamoDbLocal({ dataDir: dataDir && join(dataDir, 'dynamodb') });
    if ('stop' in dynamo) stoppers.push(() => dynamo.stop());
    const ses = options.sesEndpoint
      ? { endpoint: options.sesEndpoint }
      : await startSesEmulator(dataDir ? { journalFile: join(dataDir, 'ses-mail.json') } : {});
    if ('stop' in ses) stoppers.push(() => ses.stop());

    const s3 = await startS3Emulator(PROJECT_ROOT);
    stoppers.push(() => s3.stop());

    const runtime = new FunctionRuntime(PROJECT_ROOT);
    // A function that ran may have written outbox records: the stream pollers look within their interval, not after their back-off.
    let pollers: StreamPoller[] = [];
    const invoke = async (name: FunctionName, event: unknown) => {
      try {
        return await runtime.invoke(name, event);
      } finally {
        for (const poller of pollers) poller.wake();
      }
    };
    const bus = new LocalEventBus({
      appBusName: LOCAL_BUS_NAME,
      region: LOCAL_REGION,
      clock,
      deliver: (target, event) => invoke(target, event),
      journalDir: dataDir && join(dataDir, 'event-bus', 'unfinished'),
    });
    const busEndpoint = await bus.listen(await freePort());
    stoppers.push(() => bus.close());
    // The queues of QUEUES and their event source mappings, like the bus: same handlers, through the runtime.
    const queues = new LocalQueues({
      region: LOCAL_REGION,
      clock,
      deliver: (consumer, event) => invoke(consumer, event),
      journalDir: dataDir && join(dataDir, 'queues'),
    });
    const sqsEndpoint = await queues.listen(await freePort());
    stoppers.push(() => queues.close());

    const http = new LocalHttpServer({
      clock,
      invoke: (name: FunctionName, event: APIGatewayProxyEventV2) => invoke(name, event),
    });
    const port = await http.listen(options.port);
    stoppers.push(() => http.close());
    const url = `http://localhost:${port}`;

    // Functions read configuration and create SDK clients at import: set the environment first.
    const env: Record<string, string> = {
      ...localEnvironment(
        { dynamodb: dynamo.endpoint, ses: ses.endpoint, eventBridge: busEndpoint, s3: s3.endpoint, sqs: sqsEndpoint },
        url,
      ),
      TABLE_NAME: tableName,
    };
    Object.assign(process.env, env);

    const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION });
    stoppers.push(() => dynamoClient.destroy());
    const { streamArn } = await ensureLeadTable(dynamoClient, tableName);
    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION });
    stoppers.push(() => streams.destroy());
    const checkpoints = dataDir ? new StreamCheckpoints(join(dataDir, 'stream-checkpoints.json')) : undefined;
    const invokeRelay = (target: FunctionName, event: DynamoDBStreamEvent) => runtime.invoke(target, event);
    pollers = STREAM_RELAYS.map((relay) => new StreamPoller(streams, streamArn, relay, invokeRelay, checkpoints));
    // What the last run's bus had accepted but not delivered, then the stream from each checkpoint on.
    bus.resumeJournal();
    queues.resumeJournal();
    for (const poller of pollers) await poller.start(options.streamPollMs ?? 200);
    stoppers.push(() => {
      for (const poller of pollers) poller.stop();
    });
    // SES's event destination of the lead-mail set: Send and Delivery of this stack's mail, on the default bus.
    const sesEvents = new SesEventPublisher({ sesEndpoint: ses.endpoint, tableName, dynamo: dynamoClient, bus, clock });
    sesEvents.start(options.streamPollMs ?? 200);
    stoppers.push(() => sesEvents.stop());

    const drain = async () => {
      // Stream records cause events, events cause writes that cause records: repeat until a full pass finds nothing.
      for (let round = 0; round < 100; round += 1) {
        let delivered = 0;
        for (const poller of pollers) delivered += await poller.pollOnce();
        await bus.idle();
        // Campaign sends too: queued messages (retries included) delivered, deleted or dead-lettered.
        await queues.idle();
        // the SES events of the mail sent so far; the handlers they reach run in the next round
        delivered += await sesEvents.publishOnce();
        if (delivered === 0 && bus.isIdle && queues.isIdle) {
          let again = 0;
          for (const poller of pollers) again += await poller.pollOnce();
          again += await sesEvents.publishOnce();
          if (again === 0 && bus.isIdle && queues.isIdle) break;
        }
      }
      // with the messages in the work queues' dead-letter queues
      const queueDeadLetters = Object.values(queues.deadLetterMessages()).reduce((sum, messages) => sum + messages.length, 0);
      return { deadLetters: bus.deadLetters.length + queueDeadLetters };
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

    // The last "now" of this run, so the next one starts no earlier even if no tick was ever made.
    stoppers.unshift(() => clock.save());

    // The console's sign-in issuer: a new key pair per start, its issuer URL under this stack's own URL.
    const consoleIssuer = await LocalConsoleIssuer.create(url);
    const { devRoutes } = await import('./dev-routes');
    http.configure({
      devRoutes: devRoutes({ tableName, sesEndpoint: ses.endpoint, drain, tick, bus, pollers, clock, consoleIssuer, queues }),
      allowedOrigins: env.ALLOWED_ORIGINS!.split(','),
      consoleAuth: consoleIssuer,
    });

    return {
      url,
      tableName,
      sesEndpoint: ses.endpoint,
      environment: env,
      port,
      clock,
      bus,
      queues,
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
