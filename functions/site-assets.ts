import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { html, httpHandler } from '../shared/http/http-handler';
import { NotFoundError } from '../shared/http/http-errors';
import { requestLocale } from '../shared/http/request-info';
import { FORMS_SCRIPT } from '../site/forms-script';
import { renderThankYouPage, thankYouLocale } from '../site/thank-you-page';

const config = readEnv(FUNCTION_ENV['site-assets']);

/**
 * A day fresh, then a week served stale while revalidating: long enough that a visitor's browser and a CDN rarely
 * ask, short enough that a fix reaches every site within a day (the URL carries no version to bust a year-long cache).
 */
const SCRIPT_CACHE = 'public, max-age=86400, stale-while-revalidate=604800';

/** GET /forms.js (the embeddable form script) and GET /thanks (the thank-you page after a plain form post). */
export const handler = httpHandler(async (event) => {
  if (event.rawPath === '/forms.js') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': SCRIPT_CACHE },
      body: FORMS_SCRIPT,
    };
  }
  if (event.rawPath === '/thanks') {
    const query = event.queryStringParameters ?? {};
    const locale = thankYouLocale(query, requestLocale(event));
    return html(200, renderThankYouPage(query, locale, config.PUBLIC_BASE_URL));
  }
  throw new NotFoundError(`Nothing at ${event.rawPath}`);
});
