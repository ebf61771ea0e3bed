import type { RecordSubmissionResult, SubmissionRecord } from '../storage/record-submission';

/** What capture needs of storage (port; the DynamoDB adapter is shared/storage/dynamo-capture-store.ts). */
export interface CaptureStore {
  /**
   * One atomic write of the submission: double-click guard, lead, interaction (the outbox entry) and, for a
   * consent request, the consent rate limits of rate-limits.ts. A limit that is reached refuses the whole
   * submission ('refused', nothing stored).
   */
  recordSubmission(record: CaptureRecord): Promise<RecordSubmissionResult>;
}

export type CaptureRecord = Omit<SubmissionRecord, 'claims'> & {
  /** set for a consent request: the rate limits are claimed in the same write */
  consentRequest?: ConsentRequestLimits;
};

/** Who asks for an opt-in mail, when: the keys of the rate limits (the address is the record's email). */
export interface ConsentRequestLimits {
  at: string;
  sourceIp: string;
  /** keys the hashes of IP and mailbox in the counter items (personal data is never stored in clear) */
  hashKey: string;
}
