import { OPT_IN_RETENTION_ENV } from '../wiring/function-config';
import { readEnv } from './read-env';

/** How long an unconfirmed double opt-in is kept (deploy config `retentionDays`, default 30). */
export const { RETENTION_DAYS: optInRetentionDays } = readEnv(OPT_IN_RETENTION_ENV);
