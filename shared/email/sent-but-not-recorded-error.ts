/**
 * SES accepted the message but the timeline write failed. Callers must treat the email as sent:
 * retrying the send would mail the person twice.
 *
 * In a module of its own, so a caller that only tells this error apart (the nurture run, whose sender
 * is passed in) does not load sendEmail, its SES client and its configuration.
 */
export class SentButNotRecordedError extends Error {
  override name = 'SentButNotRecordedError';
  constructor(
    readonly messageId: string,
    cause: unknown,
  ) {
    super(`Email ${messageId} was sent but not recorded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
