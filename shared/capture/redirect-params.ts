import type { Locale } from '../domain/lead';
import type { FormName } from './form-schemas';

/**
 * What the thank-you page learns from the redirect after a plain HTML form post, appended as query
 * parameters to THANK_YOU_URL or to the form's allowlisted `redirect` (existing parameters and the
 * fragment are kept):
 * - `form`: newsletter, download or contact;
 * - `lang`: de or en, the language the lead was recorded with;
 * - `optIn`: 1 when a confirmation mail is on its way (marketing consent was asked for);
 * - `downloadUrl`: for download only, the signed link to the document (valid 24 hours), also emailed.
 */
export interface ThankYouParams {
  form: FormName;
  locale: Locale;
  optIn: boolean;
  downloadUrl?: string | undefined;
}

export function withThankYouParams(target: string, params: ThankYouParams): string {
  const url = new URL(target);
  url.searchParams.set('form', params.form);
  url.searchParams.set('lang', params.locale);
  if (params.optIn) url.searchParams.set('optIn', '1');
  if (params.downloadUrl !== undefined) url.searchParams.set('downloadUrl', params.downloadUrl);
  return url.href;
}
