import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port';
import { javaCommand } from './preflight';

const READY_BOUND_MS = 120_000;

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** AWS's DynamoDB Local, from the jar that the amplify-dynamodb-simulator npm package ships. */
export function dynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('amplify-dynamodb-simulator/package.json'));
  return {
    jar: join(packageDir, 'emulator', 'DynamoDBLocal.jar'),
    libraryPath: join(packageDir, 'emulator', 'DynamoDBLocal_lib'),
  };
}

export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const { jar, libraryPath } = dynamoDbLocalJar();
  // -sharedDb: one database whatever credentials and region a client uses, as with a real account.
  const storage = options.dataDir ? ['-dbPath', ensureDir(options.dataDir), '-sharedDb'] : ['-inMemory', '-sharedDb'];
  const child = spawn(javaCommand(), [`-Djava.library.path=${libraryPath}`, '-Xmx512m', '-jar', jar, ...storage, '-port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`DynamoDB Local did not start (is Java 17+ installed?): ${(error as Error).message}\n${output.join('')}`);
  }
  return { endpoint, stop: () => stopChild(child, exited) };
}

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function waitUntilReady(endpoint: string, exited: Promise<number | null>): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  // A bound for a hang, not an expected wait: a JVM on a busy 2-core machine can take well over 30 s to start,
  // and a missing or crashing Java is noticed at once through `exited`.
  const deadline = Date.now() + READY_BOUND_MS;
  try {
    while (Date.now() < deadline) {
      if (hasExited) throw new Error('the Java process exited');
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`timed out after ${READY_BOUND_MS / 1000} s`);
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
