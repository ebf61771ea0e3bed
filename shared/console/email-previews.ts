import { ses } from '../adapters/ses-client';
import { LOCALES, type Locale } from '../domain/lead';
import { isTemplateId, TEMPLATE_IDS, TEMPLATES, type TemplateId } from '../email/email-templates';
import { sesSendCommand, type EmailSending } from '../email/send-email';
import { NotFoundError, ValidationError } from '../http/http-errors';
import type { EmailPerformance } from '../reporting/funnel-read-model';
import { normalizeEmail } from '../security/lead-id';
import { ForbiddenError, type ConsoleIdentity } from './console-access';
import { sampleVariables, type SampleContext } from './template-samples';

/**
 * The console's email gallery: every template with its subjects and performance, its rendering with sample data
 * (GET …/templates/{id}/preview), and a test send of that rendering to the signed-in user's own address.
 */

export type TemplateAudience = 'system' | 'marketing' | 'sales';

const ZERO = { sent: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 };

/** system (transactional to the lead), marketing (needs consent), or sales (to sales, about a lead). */
export function templateAudience(templateId: TemplateId): TemplateAudience {
  return templateId === 'sales-notification' ? 'sales' : TEMPLATES[templateId].kind;
}

export async function listTemplates(context: SampleContext, performance: EmailPerformance) {
  const { renderEmail } = await import('../email/render-email');
  return TEMPLATE_IDS.map((id) => ({
    id,
    kind: templateAudience(id),
    locales: [...LOCALES],
    subject: Object.fromEntries(LOCALES.map((locale) => [locale, renderEmail(id, locale, sampleVariables(id, locale, context)).subject])),
    performance: { ...ZERO, ...performance[id] },
  }));
}

/** A template id from the path: 404 for one the catalogue does not know. */
export function templateIdOf(value: string | undefined): TemplateId {
  if (value === undefined || !isTemplateId(value)) throw new NotFoundError('No email template with this id');
  return value;
}

/** `?locale=`: de (the default) or en; a 400 naming `locale` otherwise. */
export function previewLocale(value: string | undefined): Locale {
  if (value === undefined || value === '') return 'de';
  if ((LOCALES as readonly string[]).includes(value)) return value as Locale;
  throw new ValidationError({ locale: `must be one of ${LOCALES.join(', ')}` });
}

export async function renderSample(templateId: TemplateId, locale: Locale, context: SampleContext) {
  const { renderEmail } = await import('../email/render-email');
  return renderEmail(templateId, locale, sampleVariables(templateId, locale, context));
}

export const TEST_SUBJECT_PREFIX = '[Test]';

/**
 * Sends the sample of a template to the signed-in user, and only to them: `to` must be their own address (the
 * token's email claim). Through the same SES sender as all mail, but through the untracked configuration set and
 * without a lead id, so a colleague's opens and clicks are never counted for a lead or for the template.
 */
export async function testSend(
  input: { templateId: TemplateId; locale: Locale; to: unknown; identity: ConsoleIdentity },
  deps: { context: SampleContext; sending: EmailSending },
): Promise<{ messageId: string; to: string }> {
  if (typeof input.to !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(input.to.trim())) {
    throw new ValidationError({ to: 'must be your own email address' });
  }
  const to = normalizeEmail(input.to);
  if (to !== input.identity.email)
    throw new ForbiddenError('Forbidden: a test goes to your own address only', { to: 'must be your own email address' });
  const rendered = await renderSample(input.templateId, input.locale, deps.context);
  const response = await ses.send(
    sesSendCommand({
      senderAddress: deps.sending.senderAddress,
      to: [to],
      configurationSet: deps.sending.salesConfigurationSet,
      tags: [
        { Name: 'template', Value: input.templateId },
        { Name: 'category', Value: 'test' },
      ],
      rendered: { ...rendered, subject: `${TEST_SUBJECT_PREFIX} ${rendered.subject}` },
    }),
  );
  return { messageId: response.MessageId ?? '', to };
}
