/** A 303's location taken apart: where it goes, and the thank-you parameters capture-form appended (absent ones are undefined). */
export interface ThankYouLocation {
  /** the location without form, lang, optIn and downloadUrl (other parameters and the fragment stay) */
  target: string;
  form: string | undefined;
  lang: string | undefined;
  optIn: string | undefined;
  downloadUrl: string | undefined;
}

export function thankYouLocation(location: string | null): ThankYouLocation {
  if (location === null) throw new Error('expected a location header');
  const url = new URL(location);
  const param = (name: string): string | undefined => {
    const value = url.searchParams.get(name) ?? undefined;
    url.searchParams.delete(name);
    return value;
  };
  const parts = { form: param('form'), lang: param('lang'), optIn: param('optIn'), downloadUrl: param('downloadUrl') };
  return { target: url.href, ...parts };
}
