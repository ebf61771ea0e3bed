import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isMediaType, mediaTypeOf } from '../../../shared/http/media-type';
import { prefersHtml } from '../../../shared/http/request-info';

describe('mediaTypeOf', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    [' application/json ; charset="utf-8" ', 'application/json'],
    ['application/json;charset=UTF-8;', 'application/json'],
    ['application/json; a=1 ;b="x; y=\\"z\\""', 'application/json'],
    ['application/x-www-form-urlencoded;charset=UTF-8', 'application/x-www-form-urlencoded'],
    ['application/vnd.api+json', 'application/vnd.api+json'],
  ])('reads %j as %s', (header, expected) => {
    // Act
    const mediaType = mediaTypeOf(header);

    // Assess
    expect(mediaType).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'application',
    'application/',
    '/json',
    'application /json',
    'application/json charset=utf-8',
    'application/json, text/html',
    'application/json; charset',
    'application/json; charset=',
    'application/json; charset="utf-8',
    'application/json;; garbage here',
    'application/json\u0000',
  ])('rejects %j as no media type', (header) => {
    // Act
    const mediaType = mediaTypeOf(header);

    // Assess
    expect(mediaType).toBeUndefined();
  });

  it('answers a hostile header of 10 000 separators quickly', () => {
    // Prepare: API Gateway lets a header grow to about 10 KB
    const hostile = `application/json${'; \t'.repeat(3_000)} x`;

    // Act
    const started = performance.now();
    const mediaType = mediaTypeOf(hostile);
    const elapsedMs = performance.now() - started;

    // Assess
    expect(mediaType).toBeUndefined();
    expect(elapsedMs).toBeLessThan(200);
  });
});

describe('isMediaType', () => {
  it.each([
    ['application/json', true],
    ['APPLICATION/JSON; charset=utf-8', true],
    ['application/jsonx', false],
    ['application/json-seq', false],
    ['application/json5', false],
    ['application/json; charset', false],
    [undefined, false],
  ])('%j is application/json: %s', (header, expected) => {
    // Act
    const matches = isMediaType(header, 'application/json');

    // Assess
    expect(matches).toBe(expected);
  });
});

describe('prefersHtml', () => {
  function event(headers: Record<string, string>): APIGatewayProxyEventV2 {
    return { headers } as unknown as APIGatewayProxyEventV2;
  }

  it.each([
    [{ 'content-type': 'application/x-www-form-urlencoded' }, true],
    [{ 'content-type': 'application/json', accept: 'text/html' }, false],
    // Neither is a form post nor JSON: the Accept header decides.
    [{ 'content-type': 'application/jsonx', accept: 'text/html' }, true],
    [{ 'content-type': 'application/x-www-form-urlencodedx', accept: 'application/json' }, false],
    [{ accept: 'text/html,application/xhtml+xml' }, true],
  ])('for %j is %s', (headers, expected) => {
    // Act
    const html = prefersHtml(event(headers));

    // Assess
    expect(html).toBe(expected);
  });
});
