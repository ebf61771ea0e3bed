import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';

export interface SesEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** The aws-ses-v2-local emulator: speaks the SES v2 REST API and keeps every email it was sent (GET /store). */
export async function startSesEmulator(port = 0): Promise<SesEmulator> {
  // The package is CommonJS with a default export; under ESM interop it arrives as `.default`.
  const start = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as (config: {
    host: string;
    port: number;
  }) => Promise<Server>;
  const server = await start({ host: '127.0.0.1', port });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
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
