import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';
import { validBody } from './capture-helpers';

const SUBJECTS = {
  de: 'Ihre Anfrage bei Leadpipe Example GmbH ist angekommen',
  en: 'We have received your request to Leadpipe Example GmbH',
};

function isAcknowledgement(mail: DevMail): boolean {
  return mail.subject === SUBJECTS.de || mail.subject === SUBJECTS.en;
}

describe('contact acknowledgement', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // A Tuesday afternoon in Berlin: sales replies by Wednesday.
    stack = await startTestStack({ clockStartsAt: '2026-12-01T15:00:00.000Z' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function acknowledgements(email: string): Promise<DevMail[]> {
    return (await stack.mailTo(email)).filter(isAcknowledgement);
  }

  /** The contact's own Interaction Recorded event, as the bus delivered it. */
  function contactEvents(leadId: string) {
    return stack.stack.bus.log.filter(
      (event) =>
        event['detail-type'] === 'Interaction Recorded' &&
        (event.detail as { leadId: string; type: string }).leadId === leadId &&
        (event.detail as { type: string }).type === 'contact',
    );
  }

  it.each([
    ['de', 'Mittwoch, 2. Dezember 2026', 'innerhalb eines Werktags'],
    ['en', 'Wednesday, 2 December 2026', 'within one working day'],
  ] as const)('POST /forms/contact (%s) -> one acknowledgement saying what happens next, and by when', async (locale, day, promise) => {
    // Prepare
    const email = uniqueEmail(`contact-ack-${locale}`);

    // Act
    const response = await stack.postJson('/forms/contact', { ...validBody('contact', email), locale });
    await stack.drain();

    // Assess
    expect(response.status).toBe(200);
    const mails = await acknowledgements(email);
    expect(mails.map((mail) => mail.subject)).toEqual([SUBJECTS[locale]]);
    expect(mails[0]!.text).toContain(promise);
    expect(mails[0]!.text).toContain(day);
    expect(mails[0]!.text).toContain('Erika Mustermann, Leadpipe Example GmbH');
    expect(mails[0]!.text).toContain('Musterstraße 1');
    // Transactional: no consent asked, none needed, so no opt-in and no unsubscribe link.
    expect(mails[0]!.text).not.toMatch(/unsubscribe|abmelden/i);
    expect((await stack.mailTo(email)).filter((mail) => mail.text.includes('/confirm?token='))).toEqual([]);
  });

  it('a redelivered event, or another event about the same request, mails nothing more; a new request is acknowledged', async () => {
    // Prepare
    const email = uniqueEmail('contact-ack-redelivery');
    await stack.postJson('/forms/contact', validBody('contact', email));
    await stack.drain();
    const leadId = (await stack.lead(email))!.leadId as string;
    const [delivered] = contactEvents(leadId);
    const { handler } = await import('../../../functions/send-contact-acknowledgement');
    const invoke = (event: unknown) => (handler as (event: unknown, context: unknown) => Promise<{ outcome: string }>)(event, {});

    // Act
    const again = await invoke(delivered);
    const otherEvent = await invoke({ ...delivered, id: `${delivered!.id}-again` });
    await stack.tick(1);
    await stack.postJson('/forms/contact', { ...validBody('contact', email), message: 'Noch eine Frage.' });
    await stack.drain();

    // Assess
    expect(contactEvents(leadId)).toHaveLength(2);
    expect([again.outcome, otherEvent.outcome]).toEqual(['already-sent', 'already-sent']);
    expect(await acknowledgements(email)).toHaveLength(2);
  });

  it('a form post refused for a missing field stores nothing and acknowledges nothing', async () => {
    // Prepare
    const email = uniqueEmail('contact-ack-invalid');
    const { message: _omitted, ...body } = validBody('contact', email);

    // Act
    const response = await stack.postJson('/forms/contact', body);
    await stack.drain();

    // Assess
    expect(response.status).toBe(400);
    expect(await stack.lead(email)).toBeUndefined();
    expect(await stack.mailTo(email)).toEqual([]);
  });
});
