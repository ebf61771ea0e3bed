import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs. Log lead ids, never addresses or message bodies: the log group is not
 * covered by GDPR erasure, so it must hold no personal data.
 */
export const logger = new Logger({ serviceName: 'leadpipe' });
