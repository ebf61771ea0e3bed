import { z } from 'zod';
import { buildLeadView } from '../shared/lead-view/lead-view';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { leadIdFor, normalizeEmail } from '../shared/security/lead-id';
import { loadLeadPartition } from '../shared/storage/lead-partition';
import type { LocalEventBus } from './event-bus/local-event-bus';
import type { DevRoute } from './http-server';
import { storedEmails, toDevMail } from './ses-emulator';
import type { StreamPoller } from './stream-poller';

const tickBody = z.object({ advanceHours: z.number().positive().max(24 * 365) });

/**
 * Development endpoints. They exist only here: the CDK stack never routes /_dev. This module is
 * imported after the local environment is set, because it uses the same storage code as the functions.
 */
export function devRoutes(deps: {
  tableName: string;
  sesEndpoint: string;
  drain: () => Promise<{ deadLetters: number }>;
  tick: (hours: number) => Promise<{ now: string }>;
  bus: LocalEventBus;
  pollers: StreamPoller[];
}): DevRoute[] {
  return [
    {
      method: 'GET',
      path: '/_dev/mail',
      handle: async () => ({ status: 200, body: (await storedEmails(deps.sesEndpoint)).map(toDevMail) }),
    },
    {
      method: 'GET',
      path: '/_dev/leads/{email}',
      handle: async ({ params }) => {
        const { signingKey } = await loadAppSecrets();
        const leadId = leadIdFor(normalizeEmail(params.email ?? ''), signingKey);
        const view = buildLeadView(await loadLeadPartition(deps.tableName, leadId));
        return view ? { status: 200, body: view } : { status: 404, body: { error: { code: 'not_found', message: 'No lead with this email' } } };
      },
    },
    {
      method: 'POST',
      path: '/_dev/drain',
      handle: async () => {
        const result = await deps.drain();
        return { status: 200, body: { drained: true, ...result } };
      },
    },
    {
      method: 'POST',
      path: '/_dev/tick',
      handle: async ({ body }) => {
        const parsed = tickBody.safeParse(safeJson(body));
        if (!parsed.success) {
          return { status: 400, body: { error: { code: 'validation_failed', message: 'advanceHours must be a positive number', fields: { advanceHours: 'must be a positive number of hours' } } } };
        }
        return { status: 200, body: await deps.tick(parsed.data.advanceHours) };
      },
    },
    {
      method: 'GET',
      path: '/_dev/events',
      handle: async ({ query }) => {
        const detailType = query.get('detail-type');
        return { status: 200, body: deps.bus.log.filter((event) => !detailType || event['detail-type'] === detailType) };
      },
    },
    {
      method: 'GET',
      path: '/_dev/dead-letters',
      handle: async () => ({
        status: 200,
        body: {
          events: deps.bus.deadLetters,
          streamRecords: deps.pollers.flatMap((poller) => poller.failedRecords),
        },
      }),
    },
  ];
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body || '{}');
  } catch {
    return undefined;
  }
}
