import type { CaptureStore } from '../capture/capture-store';
import { rateLimitClaims } from './rate-limit-items';
import { recordSubmission } from './record-submission';

/** The capture store in the lead table: one TransactWriteItems per submission, rate-limit counters included. */
export function dynamoCaptureStore(tableName: string): CaptureStore {
  return {
    recordSubmission: ({ rateLimits, ...record }) =>
      recordSubmission(tableName, { ...record, claims: rateLimitClaims(tableName, rateLimits) }),
  };
}
