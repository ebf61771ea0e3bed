import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';

const READY_LINE = 'leadpipe local stack ready:';

/**
 * A port for an `npm start` that binds it seconds later, and again after a restart: one below the kernel's ephemeral
 * range, free now. A port from that range (freePort) is free only for the moment: the other test files' outgoing
 * connections and listeners draw from it all the time, and one took a restarting stack's port in CI (EADDRINUSE).
 */
export async function stackPort(): Promise<number> {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const high = Math.min(ephemeralLow! - 1, 32_767);
  const low = Math.min(20_000, high - 1000);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high} in 50 attempts`);
}

/** Free on every address, as the stack listens (`::`, dual-stack). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createTcpServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * `npm start` as a user runs it, in a process group of its own, so a test can `kill -9` all of it at
 * once (npm, node and DynamoDB Local's java) as a crash or an OOM kill would.
 */
export class StackProcess {
  output = '';
  readonly child: ChildProcess;
  private readonly exit: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    const options: SpawnOptions = { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true };
    this.child = spawn('npm', ['start', '--', ...args], options);
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves on the ready line, rejects if the process exits first; `boundMs` only bounds a hang. */
  ready(boundMs = 240_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.output.includes(READY_LINE)) return;
        cleanup();
        resolve();
      };
      const exited = (code: number | null) => {
        cleanup();
        reject(new Error(`npm start exited (${code}) before it was ready:\n${this.output}`));
      };
      const bound = setTimeout(() => {
        cleanup();
        reject(new Error(`npm start was not ready within ${boundMs} ms:\n${this.output}`));
      }, boundMs);
      const cleanup = () => {
        clearTimeout(bound);
        this.child.stdout!.off('data', check);
        this.child.off('exit', exited);
      };
      this.child.stdout!.on('data', check);
      this.child.once('exit', exited);
      check();
    });
  }

  exited(): Promise<number | null> {
    return this.exit;
  }

  /** Every live (not zombie) process of the group: npm, sh, node, java, esbuild. */
  groupMembers(): { pid: number; args: string }[] {
    return execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/))
      .filter((match): match is RegExpMatchArray => match !== null && Number(match[2]) === this.pid && !match[3]!.startsWith('Z'))
      .map((match) => ({ pid: Number(match[1]), args: match[4]! }));
  }

  /** kill -9 of the whole group; resolves once no process of it is left (a bounded number of checks). */
  async kill9(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      return;
    }
    await this.exit;
    for (let check = 0; check < 200; check += 1) {
      if (this.groupMembers().length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`processes survived kill -9: ${JSON.stringify(this.groupMembers())}`);
  }
}

/**
 * Sits between the stack and the suite's SES emulator, so the mail survives the stack's restarts and
 * a test can make SES slow on purpose: after `holdAfter` SendEmail calls it forwards none and answers
 * none, as if SES took forever. Every other request passes through unchanged.
 */
export class SesProxy {
  private server?: Server;
  private sends = 0;
  private holdAfter = Number.POSITIVE_INFINITY;
  private readonly held: ServerResponse[] = [];
  private heldWaiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(private readonly upstream: string) {}

  async listen(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Forward `count` more SendEmail calls, then hold every later one. */
  holdAfterNext(count: number): void {
    this.holdAfter = this.sends + count;
  }

  /** Resolves once `count` SendEmail calls are held. */
  heldReached(count: number): Promise<void> {
    if (this.held.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push({ count, resolve }));
  }

  /** Forward everything again; the held calls are dropped, never sent (their caller is gone). */
  passThrough(): void {
    this.holdAfter = Number.POSITIVE_INFINITY;
    for (const response of this.held.splice(0)) response.destroy();
  }

  async close(): Promise<void> {
    this.passThrough();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const isSend = request.method === 'POST' && (request.url ?? '').startsWith('/v2/email/outbound-emails');
    if (isSend && this.sends >= this.holdAfter) {
      this.held.push(response);
      this.heldWaiters = this.heldWaiters.filter((waiter) => {
        if (this.held.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
      return;
    }
    if (isSend) this.sends += 1;
    try {
      const forwarded = await fetch(`${this.upstream}${request.url}`, {
        method: request.method,
        headers: forwardableHeaders(request),
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await forwarded.arrayBuffer()));
    } catch {
      response.destroy();
    }
  }
}

/** The request's own headers (the emulator wants its Authorization), minus those that describe the hop. */
function forwardableHeaders(request: IncomingMessage): Record<string, string> {
  const hop = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect']);
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name, value]) => !hop.has(name) && value !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
  );
}
