import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLeadTable } from '../../../shared/storage/create-lead-table';
import { suiteDynamoDbEndpoint } from '../../support/suite-dynamodb';

const REGION = 'eu-central-1';
const FIXTURE = new URL('./fixtures/invoke-traced.ts', import.meta.url).pathname;

interface SegmentDocument {
  name: string;
  namespace?: string;
  aws?: { operation?: string; table_name?: string };
  subsegments?: SegmentDocument[];
}

/**
 * A stand-in for the X-Ray daemon: the SDK sends every segment document as one UDP datagram,
 * a JSON header line and then the document.
 */
async function fakeXRayDaemon(): Promise<{ socket: Socket; port: number; documents: SegmentDocument[] }> {
  const socket = createSocket('udp4');
  const documents: SegmentDocument[] = [];
  socket.on('message', (message) => {
    const body = message.toString('utf8').split('\n').slice(1).join('\n');
    documents.push(JSON.parse(body) as SegmentDocument);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return { socket, port: socket.address().port, documents };
}

function flatten(documents: SegmentDocument[]): SegmentDocument[] {
  return documents.flatMap((document) => [document, ...flatten(document.subsegments ?? [])]);
}

describe('observability on Lambda: the wrappers trace, log with the invocation context and flush metrics', () => {
  let dynamo: DynamoDBClient;
  let tableName: string;

  beforeAll(async () => {
    dynamo = new DynamoDBClient({ endpoint: suiteDynamoDbEndpoint(), region: REGION });
    tableName = `leadpipe-trace-${randomUUID().slice(0, 8)}`;
    await ensureLeadTable(dynamo, tableName);
  });
  afterAll(() => dynamo.destroy());

  it('records a segment for the handler and one per DynamoDB call, logs the request id and cold start, writes ColdStart', async () => {
    const daemon = await fakeXRayDaemon();
    try {
      const child = spawn(process.execPath, ['--disable-warning=NodeVersionSupportWarning', '--import', 'tsx', FIXTURE], {
        env: {
          ...process.env,
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
          LAMBDA_TASK_ROOT: process.cwd(),
          _HANDLER: 'index.handler',
          AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
          _X_AMZN_TRACE_ID: 'Root=1-6762f1a0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1',
          AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
          AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
          AWS_ENDPOINT_URL_DYNAMODB: suiteDynamoDbEndpoint(),
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          TABLE_NAME: tableName,
          POWERTOOLS_METRICS_DISABLED: 'false',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code, stderr).toBe(0);
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // The handler ran to its end; its log line carries the request id and the cold start (injectLambdaContext).
      const logLine = lines.find((line) => line.message === 'ses feedback');
      expect(logLine).toMatchObject({ function_request_id: 'trace-test-request', cold_start: true, kind: 'open' });
      // logMetrics wrote the ColdStart metric as EMF.
      const emf = lines.find((line) => '_aws' in line && 'ColdStart' in line);
      expect(emf).toMatchObject({ ColdStart: 1, function_name: 'leadpipe-ses-feedback', service: 'leadpipe' });

      // Datagrams sent before the child exited are in the socket's queue; a round trip through it drains them.
      const probe = createSocket('udp4');
      probe.send('{"format":"json","version":1}\n{"name":"probe"}', daemon.port, '127.0.0.1');
      await new Promise<void>((resolve) => {
        const check = () => (daemon.documents.some((d) => d.name === 'probe') ? resolve() : setImmediate(check));
        check();
      });
      probe.close();

      const segments = flatten(daemon.documents);
      expect(segments.map((s) => s.name)).toContain('## index.handler');
      const dynamoCalls = segments.filter((s) => s.name === 'DynamoDB');
      expect(dynamoCalls.length).toBeGreaterThan(0);
      expect(dynamoCalls[0]!.namespace).toBe('aws');
      expect(dynamoCalls.map((s) => s.aws?.table_name)).toContain(tableName);
    } finally {
      daemon.socket.close();
    }
  });
});
