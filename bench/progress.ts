/** Progress lines on stderr; run.ts relays the lines of its workers that start with the prefix. */
export const PROGRESS_PREFIX = '[bench] ';

export function progress(message: string): void {
  process.stderr.write(`${PROGRESS_PREFIX}${message}\n`);
}

/** A wall-clock deadline for a measurement's loops: every loop checks it, so every step stops by itself. */
export class Deadline {
  private readonly endsAt: number;

  constructor(budgetMs: number) {
    this.endsAt = Date.now() + budgetMs;
  }

  get remainingMs(): number {
    return this.endsAt - Date.now();
  }

  get passed(): boolean {
    return Date.now() >= this.endsAt;
  }

  /** A share of what is left, for splitting a budget between phases. */
  share(fraction: number): Deadline {
    return new Deadline(Math.max(0, this.remainingMs * fraction));
  }
}
