import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomically } from './durable-file';

const fileSchema = z.object({
  version: z.literal(1),
  /** `<relay function> <stream ARN> <shard id>` → the sequence number of the last record done */
  positions: z.record(z.string(), z.string().regex(/^\d+$/)),
});

/**
 * Where each stream relay has got to, per shard, kept in one JSON file under the persistent data
 * directory (`.leadpipe/`): the sequence number of the last record that was relayed (or that the
 * filter dropped, or that was set aside after its last attempt). A restarted poller resumes right
 * after it, as a Lambda event source mapping does, so a restart neither loses nor replays records.
 */
export class StreamCheckpoints {
  private readonly positions: Record<string, string>;

  constructor(private readonly file: string) {
    this.positions = existsSync(file) ? StreamCheckpoints.parse(file) : {};
  }

  get(relay: string, streamArn: string, shardId: string): string | undefined {
    return this.positions[key(relay, streamArn, shardId)];
  }

  /** Called only once the records up to `sequenceNumber` are done; the file is replaced atomically. */
  set(relay: string, streamArn: string, shardId: string, sequenceNumber: string): void {
    this.positions[key(relay, streamArn, shardId)] = sequenceNumber;
    writeFileAtomically(this.file, `${JSON.stringify({ version: 1, positions: this.positions }, null, 2)}\n`);
  }

  private static parse(file: string): Record<string, string> {
    const parsed = fileSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
    // Never guess a position: starting from the wrong one would silently skip or replay records.
    if (!parsed.success) {
      throw new Error(`${file} is not a valid stream checkpoint file; fix or delete it (deleting replays the retained stream)`);
    }
    return { ...parsed.data.positions };
  }
}

function key(relay: string, streamArn: string, shardId: string): string {
  return `${relay} ${streamArn} ${shardId}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
