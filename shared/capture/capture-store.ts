import type { RateLimit } from './rate-limits';
import type { RecordSubmissionResult, SubmissionRecord } from '../storage/record-submission';

/** What capture needs of storage (port; the DynamoDB adapter is shared/storage/dynamo-capture-store.ts). */
export interface CaptureStore {
  /**
   * One atomic write of the submission: double-click guard, lead, interaction (the outbox entry) and, for a
   * consent request, the rate limits it is given. A limit that is reached refuses the whole
   * submission ('refused', nothing stored).
   */
  recordSubmission(record: CaptureRecord): Promise<RecordSubmissionResult>;
}

export type CaptureRecord = Omit<SubmissionRecord, 'claims'> & {
  /** the limits this submission must stay under (consentRateLimits for a consent request), claimed in the same write */
  rateLimits: readonly RateLimit[];
};
