import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import sesStore from 'aws-ses-v2-local/dist/store.js';
import { writeFileAtomically } from './durable-file';

export interface SesEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

export interface SesEmulatorOptions {
  port?: number;
  /**
   * A persistent stack's mail journal (under its data directory): the emulator keeps mail only in memory,
   * so every mail it accepts is written here, and a restarted emulator starts with the mail of the runs before.
   */
  journalFile?: string;
}

/** The aws-ses-v2-local emulator: speaks the SES v2 REST API and keeps every email it was sent (GET /store). */
export async function startSesEmulator(options: SesEmulatorOptions = {}): Promise<SesEmulator> {
  // The package is CommonJS with a default export; under ESM interop it arrives as `.default`.
  const start = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as (config: {
    host: string;
    port: number;
  }) => Promise<Server>;
  const journal = options.journalFile ? new MailJournal(options.journalFile) : undefined;
  journal?.restore();
  const server = await start({ host: '127.0.0.1', port: options.port ?? 0 });
  // Every request that changed the store (a send, a /clear-store) is journaled once its response is complete.
  if (journal) server.on('request', (_request, response) => response.once('finish', () => journal.record()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        journal?.record();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The emulator's in-memory store (the package keeps it module-global, so it is the one its server serves),
 * mirrored to a file. The whole list is rewritten atomically (writeFileAtomically) whenever it changed: a
 * kill -9 leaves the previous or the new list, never half a mail. Local mail volumes make that cheap.
 */
class MailJournal {
  private written = -1;
  private lastId: string | undefined;

  constructor(private readonly file: string) {}

  /** The runs before, put back into the (empty, freshly loaded) store; mail already there is kept. */
  restore(): void {
    if (!existsSync(this.file)) return;
    const saved = parseJournal(this.file);
    const emails = liveEmails();
    const present = new Set(emails.map((email) => email.messageId));
    emails.unshift(...saved.filter((email) => !present.has(email.messageId)));
    this.record();
  }

  record(): void {
    const emails = liveEmails();
    const lastId = emails.at(-1)?.messageId;
    if (emails.length === this.written && lastId === this.lastId) return;
    writeFileAtomically(this.file, `${JSON.stringify({ version: 1, emails })}\n`);
    this.written = emails.length;
    this.lastId = lastId;
  }
}

type StoreModule = { getStoreReadonly(): { emails: StoredEmail[] } };

function liveEmails(): StoredEmail[] {
  const store = ((sesStore as unknown as { default?: StoreModule }).default ?? sesStore) as unknown as StoreModule;
  return store.getStoreReadonly().emails;
}

function parseJournal(file: string): StoredEmail[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; emails?: unknown };
    if (parsed.version === 1 && Array.isArray(parsed.emails)) return parsed.emails as StoredEmail[];
  } catch {
    // reported below
  }
  // Never start as if nothing had been sent: a wrong journal is for a person to look at.
  throw new Error(`${file} is not a valid mail journal; fix or delete it (deleting forgets the mail of earlier runs)`);
}

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  /** when the emulator accepted it, in unix seconds */
  at: number;
}

export async function storedEmails(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}

/** The `/_dev/mail` shape: oldest first, flattened for tests and people. */
export function toDevMail(email: StoredEmail) {
  return {
    messageId: email.messageId,
    from: email.from,
    to: email.destination.to,
    ...(email.replyTo?.length ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    html: email.body.html ?? '',
    text: email.body.text ?? '',
    headers: email.headers ?? [],
  };
}
