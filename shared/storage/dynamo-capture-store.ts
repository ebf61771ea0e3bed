import type { CaptureStore } from '../capture/capture-store';
import { consentRateLimits } from '../capture/rate-limits';
import { recordSubmission } from './record-submission';

/** The capture store in the lead table: one TransactWriteItems per submission, rate-limit counters included. */
export function dynamoCaptureStore(tableName: string): CaptureStore {
  return {
    recordSubmission({ consentRequest, ...record }) {
      const { email, leadId } = record;
      const claims = consentRequest
        ? consentRateLimits({ tableName, at: consentRequest.at, sourceIp: consentRequest.sourceIp, email, leadId }, consentRequest.hashKey)
        : [];
      return recordSubmission(tableName, { ...record, claims });
    },
  };
}
