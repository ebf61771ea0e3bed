/**
 * Counts the AWS calls made through the shared SDK clients with one middleware on each client's
 * stack (DynamoDBDocumentClient shares its stack with the DynamoDBClient it wraps, so each stack is
 * instrumented once). For DynamoDB it also forces ReturnConsumedCapacity on every operation that
 * supports it and adds up the capacity units the responses report.
 *
 * ReturnConsumedCapacity is forced to 'INDEXES', not 'TOTAL': DynamoDB Local's TOTAL aggregate
 * leaves out the capacity consumed on global secondary indexes (the nurture-due index), whereas on
 * AWS the TOTAL aggregate includes it. The aggregate `CapacityUnits` of an INDEXES response is the
 * table plus its indexes, i.e. what AWS reports as TOTAL and bills on demand.
 */

/** The bits of an SDK v3 middleware stack we need (kept structural: @smithy/types is not a direct dependency). */
export interface MiddlewareStackLike {
  add(
    middleware: (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>,
    options: { step: 'initialize'; name: string; priority?: 'high' | 'normal' | 'low'; override?: boolean },
  ): void;
  remove(toRemove: string): boolean;
}

export interface InstrumentableClient {
  middlewareStack: MiddlewareStackLike;
}

export interface AwsCall {
  /** e.g. DynamoDB, SESv2, EventBridge */
  service: string;
  /** e.g. TransactWriteItems */
  operation: string;
  startMs: number;
  endMs: number;
  ok: boolean;
  errorName?: string;
  /** DynamoDB only: aggregate capacity units (table + indexes) the response reported */
  readUnits: number;
  writeUnits: number;
  input: any;
  output?: any;
}

export interface OperationTally {
  calls: number;
  readUnits: number;
  writeUnits: number;
}

/** service → operation → tally */
export type CallTally = Record<string, Record<string, OperationTally>>;

const CAPACITY_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const CAPACITY_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const MIDDLEWARE_NAME = 'leadpipeBenchAwsCallCounter';

export class AwsCallCounter {
  readonly calls: AwsCall[] = [];
  private readonly stacks = new Set<MiddlewareStackLike>();
  private recording = true;

  constructor(
    private readonly options: {
      /** keep each call's input and output on the record (memory!); off by default */
      keepPayloads?: boolean;
      /** called after every call, with its input and output, whether or not payloads are kept */
      onCall?: (call: AwsCall) => void;
      forceConsumedCapacity?: 'INDEXES' | 'TOTAL' | false;
    } = {},
  ) {}

  /** Instruments a client; a stack already instrumented (a document client's) is left alone. */
  attach(...clients: InstrumentableClient[]): this {
    for (const client of clients) {
      const stack = client.middlewareStack;
      if (this.stacks.has(stack)) continue;
      this.stacks.add(stack);
      stack.add((next, context) => async (args) => this.around(next, context, args), {
        step: 'initialize',
        name: MIDDLEWARE_NAME,
        priority: 'high',
        override: true,
      });
    }
    return this;
  }

  detach(): void {
    for (const stack of this.stacks) stack.remove(MIDDLEWARE_NAME);
    this.stacks.clear();
  }

  pause(): void {
    this.recording = false;
  }

  resume(): void {
    this.recording = true;
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** Calls since the given index (or all) by service and operation. */
  tally(from = 0): CallTally {
    const tally: CallTally = {};
    for (const call of this.calls.slice(from)) {
      const service = (tally[call.service] ??= {});
      const op = (service[call.operation] ??= { calls: 0, readUnits: 0, writeUnits: 0 });
      op.calls += 1;
      op.readUnits += call.readUnits;
      op.writeUnits += call.writeUnits;
    }
    return tally;
  }

  private async around(next: (args: any) => Promise<any>, context: any, args: any): Promise<any> {
    if (!this.recording) return next(args);
    const service = String(context?.clientName ?? 'Unknown').replace(/Client$/, '');
    const operation = String(context?.commandName ?? 'Unknown').replace(/Command$/, '');
    const mode = this.options.forceConsumedCapacity ?? 'INDEXES';
    if (service === 'DynamoDB' && mode && (CAPACITY_READS.has(operation) || CAPACITY_WRITES.has(operation)) && args?.input) {
      args.input.ReturnConsumedCapacity = mode;
    }
    const call: AwsCall = {
      service,
      operation,
      startMs: performance.now(),
      endMs: 0,
      ok: true,
      readUnits: 0,
      writeUnits: 0,
      input: args?.input,
    };
    try {
      const result = await next(args);
      call.output = result?.output;
      this.addCapacity(call, result?.output?.ConsumedCapacity);
      return result;
    } catch (error) {
      call.ok = false;
      call.errorName = error instanceof Error ? error.name : String(error);
      // A cancelled transaction or failed condition still consumes capacity on AWS; DynamoDB Local does not report it.
      this.addCapacity(call, (error as { ConsumedCapacity?: unknown })?.ConsumedCapacity);
      throw error;
    } finally {
      call.endMs = performance.now();
      this.options.onCall?.(call);
      if (!this.options.keepPayloads) {
        call.input = undefined;
        call.output = undefined;
      }
      this.calls.push(call);
    }
  }

  private addCapacity(call: AwsCall, consumed: unknown): void {
    if (!consumed) return;
    const entries = (Array.isArray(consumed) ? consumed : [consumed]) as Array<{
      CapacityUnits?: number;
      ReadCapacityUnits?: number;
      WriteCapacityUnits?: number;
    }>;
    const units = entries.reduce(
      (total, entry) => total + (entry.CapacityUnits ?? (entry.ReadCapacityUnits ?? 0) + (entry.WriteCapacityUnits ?? 0)),
      0,
    );
    if (CAPACITY_WRITES.has(call.operation)) call.writeUnits += units;
    else call.readUnits += units;
  }
}

/** "DynamoDB.TransactWriteItems" → count, for compact reports. */
export function flattenTally(tally: CallTally): Record<string, OperationTally> {
  const flat: Record<string, OperationTally> = {};
  for (const [service, operations] of Object.entries(tally)) {
    for (const [operation, value] of Object.entries(operations)) flat[`${service}.${operation}`] = value;
  }
  return flat;
}
