import { sendCallConfirmation } from '../shared/booking/send-call-confirmation';
import { readEnv } from '../shared/config/read-env';
import { defaultBookingConfig } from '../shared/domain/booking/booking-config';
import { senderOf } from '../shared/email/email-templates';
import { emailSendingOf } from '../shared/email/send-email';
import { CallBookingChanged } from '../shared/events/booking-events';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoBookingStore } from '../shared/storage/dynamo-booking-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['send-call-confirmation']);
const store = dynamoBookingStore(config.TABLE_NAME);
const sending = emailSendingOf(config);
const sender = senderOf(config);

/** A booking (Interaction Recorded, type call_requested) or a move/cancel (Call Booking Changed): the lead's confirmation. */
export const handler = eventHandler([InteractionRecorded, CallBookingChanged], async (event) => {
  const { signingKey } = await loadAppSecrets(process.env);
  const deps = { store, sending, sender, config: defaultBookingConfig, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL };
  const outcome =
    event.detailType === 'Interaction Recorded'
      ? await sendCallConfirmation(
          {
            kind: 'booked',
            leadId: event.detail.leadId,
            interactionId: event.detail.interactionId,
            interactionAt: event.detail.at,
            eventId: event.id,
          },
          deps,
        )
      : await sendCallConfirmation({ kind: 'changed', ...event.detail, eventId: event.id }, deps);
  logger.info('call confirmation', { leadId: event.detail.leadId, detailType: event.detailType, outcome });
  return { outcome };
});
