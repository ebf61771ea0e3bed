import { z } from 'zod';
import { readEnv } from './read-env';

/** How long an unconfirmed double opt-in is kept (deploy config `retentionDays`, default 30). */
export const { RETENTION_DAYS: optInRetentionDays } = readEnv({ RETENTION_DAYS: z.coerce.number().int().positive().default(30) });
