/**
 * The one Content-Type check of every endpoint. A prefix test (`startsWith('application/json')`)
 * lets `application/jsonx` or `application/json-seq` through; this parses the media type as
 * RFC 9110 §8.3.1 defines it: `type "/" subtype *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )`,
 * type and subtype compared case-insensitively, parameters allowed.
 */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED_STRING = '"(?:[\\t\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t\\x20-\\x7E\\x80-\\xFF])*"';
// Sticky patterns applied one after another: no nested quantifiers, so no input can make them backtrack for long.
const TYPE_AND_SUBTYPE = new RegExp(`[ \\t]*(${TOKEN})/(${TOKEN})`, 'y');
const PARAMETER = new RegExp(`[ \\t]*;[ \\t]*(?:${TOKEN}=(?:${TOKEN}|${QUOTED_STRING}))?`, 'y');
const TRAILING_SPACE = /[ \t]*$/y;

/** `type/subtype` in lower case, or undefined when the header is absent or not a media type. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  TYPE_AND_SUBTYPE.lastIndex = 0;
  const match = TYPE_AND_SUBTYPE.exec(contentType);
  if (!match) return undefined;
  let position = TYPE_AND_SUBTYPE.lastIndex;
  for (;;) {
    PARAMETER.lastIndex = position;
    if (!PARAMETER.test(contentType)) break;
    position = PARAMETER.lastIndex;
  }
  TRAILING_SPACE.lastIndex = position;
  if (!TRAILING_SPACE.test(contentType)) return undefined;
  return `${match[1]!}/${match[2]!}`.toLowerCase();
}

/** Whether the Content-Type header names exactly this media type (e.g. 'application/json'), with any parameters. */
export function isMediaType(contentType: string | undefined, expected: string): boolean {
  return mediaTypeOf(contentType) === expected.toLowerCase();
}
