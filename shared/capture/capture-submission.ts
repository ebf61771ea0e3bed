import { randomBytes, randomUUID } from 'node:crypto';
import type { Interaction, InteractionType } from '../domain/lead';
import { TooManyRequestsError } from '../http/http-errors';
import { signToken } from '../security/signed-token';
import { leadIdFor } from '../security/lead-id';
import type { CaptureStore } from './capture-store';
import type { FormName, ValidForm } from './form-schemas';
import { submissionFingerprint } from './submission-fingerprint';
import { consentRateLimits } from './rate-limits';

export const DOUBLE_CLICK_WINDOW_SECONDS = 600;
export const DOWNLOAD_LINK_TTL_HOURS = 24;
/** Bump when the consent wording on the forms changes; stored with the consent evidence. */
export const CONSENT_TEXT_VERSION = '2026-11-v1';

const INTERACTION_BY_FORM: Record<FormName, InteractionType> = {
  newsletter: 'newsletter_signup',
  download: 'download',
  contact: 'contact',
};

export interface CaptureRequest {
  at: string;
  ip: string;
  userAgent: string;
}

export interface CaptureDeps {
  store: CaptureStore;
  /** derives the lead id; never rotated (see shared/security/app-secrets.ts) */
  leadIdKey: string;
  /** signs the download link */
  signingKey: string;
  publicBaseUrl: string;
}

export interface CaptureOutcome {
  leadId: string;
  /** false for a double-click or a filled honeypot: answered like a success, nothing stored */
  stored: boolean;
  downloadUrl?: string;
}

/**
 * The capture use case: one submission becomes one atomic write of lead, interaction and outbox entry.
 * A consent request must also pass the rate limits (see rate-limits.ts), checked in that same write;
 * one that does not is refused with TooManyRequestsError (429): nothing stored, nothing mailed.
 */
export async function captureSubmission(form: ValidForm, request: CaptureRequest, deps: CaptureDeps): Promise<CaptureOutcome> {
  const leadId = leadIdFor(form.email, deps.leadIdKey);
  if (form.honeypotFilled) {
    // Looks like a success to the bot, link included, but the link is signed with a key thrown away at once: it never opens.
    const decoyKey = randomBytes(32).toString('base64url');
    const decoyUrl =
      form.form === 'download' ? signedDownloadUrl(leadId, form.assetId, request.at, { ...deps, signingKey: decoyKey }) : undefined;
    return { leadId, stored: false, downloadUrl: decoyUrl };
  }
  const downloadUrl = form.form === 'download' ? signedDownloadUrl(leadId, form.assetId, request.at, deps) : undefined;

  const interaction: Interaction = {
    id: randomUUID(),
    type: INTERACTION_BY_FORM[form.form],
    at: request.at,
    ...(form.form === 'download' ? { assetId: form.assetId, funnelStage: form.funnelStage } : {}),
    ...(form.form === 'contact' ? { message: form.message } : {}),
    ...(Object.keys(form.attribution).length > 0 ? { attribution: form.attribution } : {}),
  };
  const result = await deps.store.recordSubmission({
    leadId,
    email: form.email,
    profile: {
      firstName: form.firstName,
      lastName: form.lastName,
      company: form.company,
      jobTitle: form.jobTitle,
      phone: form.form === 'contact' ? form.phone : undefined,
      locale: form.locale,
    },
    interaction,
    consentEvidence: form.marketingConsent
      ? { at: request.at, ip: request.ip, userAgent: request.userAgent.slice(0, 512), form: form.form, textVersion: CONSENT_TEXT_VERSION }
      : undefined,
    fingerprint: submissionFingerprint(form),
    duplicateWindowSeconds: DOUBLE_CLICK_WINDOW_SECONDS,
    rateLimits: form.marketingConsent
      ? consentRateLimits({ at: request.at, sourceIp: request.ip, email: form.email, leadId }, deps.leadIdKey)
      : [],
  });
  if (!result.stored && result.reason === 'refused') throw new TooManyRequestsError(result.retryAfterSeconds);
  return { leadId, stored: result.stored, downloadUrl };
}

export function signedDownloadUrl(
  leadId: string,
  assetId: string,
  at: string,
  deps: Pick<CaptureDeps, 'signingKey' | 'publicBaseUrl'>,
): string {
  const expiresAt = new Date(Date.parse(at) + DOWNLOAD_LINK_TTL_HOURS * 3_600_000).toISOString();
  const token = signToken({ purpose: 'download', leadId, expiresAt, data: { assetId } }, deps.signingKey);
  return `${deps.publicBaseUrl}/downloads/${encodeURIComponent(assetId)}?token=${encodeURIComponent(token)}`;
}
