import { readEnv } from '../shared/config/read-env';
import { sendContactAcknowledgement } from '../shared/contact/send-contact-acknowledgement';
import { defaultBookingConfig } from '../shared/domain/booking/booking-config';
import { senderOf } from '../shared/email/email-templates';
import { emailSendingOf } from '../shared/email/send-email';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { dynamoContactAcknowledgementStore } from '../shared/storage/dynamo-contact-acknowledgement-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['send-contact-acknowledgement']);
const store = dynamoContactAcknowledgementStore(config.TABLE_NAME);
const sending = emailSendingOf(config);
const sender = senderOf(config);

/** A contact request (Interaction Recorded, type contact): the requester learns what happens next, and when. */
export const handler = eventHandler(InteractionRecorded, async ({ id, detail }) => {
  // The rule only routes contact requests here; anything else would put a claim on an interaction that is not one.
  if (detail.type !== 'contact') return { outcome: 'not-a-contact-request' };
  const outcome = await sendContactAcknowledgement(
    { leadId: detail.leadId, interactionId: detail.interactionId, interactionAt: detail.at, eventId: id },
    { store, sending, sender, calendar: defaultBookingConfig },
  );
  logger.info('contact acknowledgement', { leadId: detail.leadId, outcome });
  return { outcome };
});
