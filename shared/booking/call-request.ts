/**
 * Validation of a POST to /call and /call/manage. Input is whatever parseFormBody produced; output is a typed
 * request, or a CallFormError naming every bad field with a code, so the HTML page can say it in the visitor's
 * language while JSON clients get the English message. Identity and phone rules are the contact form's own.
 */
import * as z from 'zod/mini';
import type { BookingConfig } from '../domain/booking/booking-config';
import { checkSlot, type SlotRejection } from '../domain/booking/slots';
import type { Locale } from '../domain/lead';
import { contactSchema, negotiateLocale } from '../capture/form-schemas';
import { ValidationError } from '../http/http-errors';

export type FieldProblem = 'required' | 'invalid' | SlotRejection;

const EN_MESSAGES: Record<FieldProblem, string> = {
  required: 'is required',
  invalid: 'is not valid',
  malformed: 'must be one of the offered times (an ISO instant such as 2026-12-09T09:15:00.000Z)',
  past: 'is in the past',
  'too-soon': 'is too soon: please choose one of the offered times',
  'outside-hours': 'is outside business hours',
  'off-grid': 'is not on the slot grid: please choose one of the offered times',
  'not-a-working-day': 'is not on a working day',
  'beyond-horizon': 'is too far ahead: please choose one of the offered times',
};

/** A ValidationError whose fields also carry a code per field, for a localized page. */
export class CallFormError extends ValidationError {
  constructor(readonly problems: Record<string, FieldProblem>) {
    super(Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, `${field} ${EN_MESSAGES[problem]}`])));
  }
}

export interface PublicIdentity {
  email: string;
  firstName: string;
  lastName: string;
  company?: string;
  locale: Locale;
}

export type CallPost =
  | { action: 'book'; slot: string; identity?: PublicIdentity }
  | { action: 'callback'; phone: string; identity?: PublicIdentity };

export type ManagePost = { action: 'cancel' } | { action: 'move'; slot: string };

const shape = contactSchema.shape;
const identitySchema = z.object({
  email: shape.email,
  firstName: shape.firstName,
  lastName: shape.lastName,
  company: shape.company,
  locale: shape.locale,
});

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function problemOf(fields: Record<string, unknown>, field: string): FieldProblem {
  return isBlank(fields[field]) ? 'required' : 'invalid';
}

function slotProblem(config: BookingConfig, now: Date, value: unknown): { slot: string } | { problem: FieldProblem } {
  if (isBlank(value)) return { problem: 'required' };
  const checked = checkSlot(config, now, typeof value === 'string' ? value.trim() : value);
  return checked.ok ? { slot: checked.start } : { problem: checked.reason };
}

/**
 * Validates a booking or call-back post. `known`: the lead came with a token, so no identity fields are read
 * (whatever is posted for them is ignored: a token decides who books). Nothing is stored before this passed.
 */
export function parseCallPost(
  fields: Record<string, unknown>,
  ctx: { known: boolean; config: BookingConfig; now: Date; acceptLanguage?: string | undefined },
): CallPost {
  const problems: Record<string, FieldProblem> = {};
  const action = isBlank(fields.action) ? 'book' : fields.action;
  if (action !== 'book' && action !== 'callback') problems.action = 'invalid';

  let identity: PublicIdentity | undefined;
  if (!ctx.known) {
    const parsed = identitySchema.safeParse(fields);
    if (parsed.success) {
      const { email, firstName, lastName, company, locale } = parsed.data;
      if (firstName === undefined) problems.firstName = 'required';
      if (lastName === undefined) problems.lastName = 'required';
      if (firstName !== undefined && lastName !== undefined) {
        identity = {
          email,
          firstName,
          lastName,
          ...(company !== undefined ? { company } : {}),
          locale: locale ?? negotiateLocale(ctx.acceptLanguage),
        };
      }
    } else {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'body');
        problems[field] ??= problemOf(fields, field);
      }
      for (const field of ['firstName', 'lastName'] as const) if (isBlank(fields[field])) problems[field] ??= 'required';
    }
  }

  if (action === 'callback') {
    const phone = shape.phone.safeParse(fields.phone);
    if (!phone.success || phone.data === undefined) problems.phone = problemOf(fields, 'phone');
    if (Object.keys(problems).length > 0) throw new CallFormError(problems);
    return { action: 'callback', phone: (phone.data as string | undefined)!, ...(identity ? { identity } : {}) };
  }
  const slot = slotProblem(ctx.config, ctx.now, fields.slot);
  if ('problem' in slot) problems.slot = slot.problem;
  if (Object.keys(problems).length > 0 || !('slot' in slot)) throw new CallFormError(problems);
  return { action: 'book', slot: slot.slot, ...(identity ? { identity } : {}) };
}

/** Validates a cancel or move post on the manage page. */
export function parseManagePost(fields: Record<string, unknown>, ctx: { config: BookingConfig; now: Date }): ManagePost {
  if (fields.action === 'cancel') return { action: 'cancel' };
  if (fields.action !== 'move') throw new CallFormError({ action: isBlank(fields.action) ? 'required' : 'invalid' });
  const slot = slotProblem(ctx.config, ctx.now, fields.slot);
  if ('problem' in slot) throw new CallFormError({ slot: slot.problem });
  return { action: 'move', slot: slot.slot };
}
