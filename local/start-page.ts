import { SITE_HEADERS, sitePage, type SiteResponse } from '../site/demo-site';

/** The local stack's website: the demo site (site/demo-site.ts) at / and its pages, in the request's language. */

/** The demo site's answer to a GET, with its headers, or undefined when the path is not a site page. */
export function demoSitePage(
  pathname: string,
  query: URLSearchParams,
  acceptLanguage: string | undefined,
  origin?: string,
): (SiteResponse & { headers: Readonly<Record<string, string>> }) | undefined {
  const page = sitePage(pathname, query, acceptLanguage, origin);
  return page && { ...page, headers: SITE_HEADERS };
}
