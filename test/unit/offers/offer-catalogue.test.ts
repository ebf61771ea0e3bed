import { describe, expect, it } from 'vitest';
import rawWebinars from '../../../config/webinars.json';
import { contentCatalogue } from '../../../shared/capture/content-catalogue';
import { offerTitle, resolveOffer } from '../../../shared/offers/offer-catalogue';
import { parseWebinarCatalogue, webinarCatalogue, webinarEndsAt } from '../../../shared/offers/webinar-catalogue';

describe('offer resolution', () => {
  it.each(contentCatalogue.map((asset) => [asset.id, asset.funnelStage] as const))(
    'resolves the asset id %s to a download of that asset (%s)',
    (id, stage) => {
      // Act
      const offer = resolveOffer(id);

      // Assess
      expect(offer).toMatchObject({ kind: 'download', ref: id, asset: { id, funnelStage: stage } });
    },
  );

  it('resolves webinar:<id> to the webinar of config/webinars.json, with its titles', () => {
    // Prepare
    const [webinar] = webinarCatalogue;

    // Act
    const offer = resolveOffer(`webinar:${webinar!.id}`);

    // Assess
    expect(offer).toEqual({ kind: 'webinar', ref: `webinar:${webinar!.id}`, webinar });
    expect(offerTitle(offer!, 'de')).toBe(webinar!.title.de);
    expect(offerTitle(offer!, 'en')).toBe(webinar!.title.en);
  });

  it('resolves expert-call, titled in both languages', () => {
    // Act
    const offer = resolveOffer('expert-call');

    // Assess
    expect(offer).toEqual({ kind: 'expert-call', ref: 'expert-call' });
    expect(offerTitle(offer!, 'de')).toMatch(/15-Minuten-Gespräch/);
    expect(offerTitle(offer!, 'en')).toMatch(/15-minute call/);
  });

  it.each([
    'ebook',
    'webinar:',
    'webinar:no-such-webinar',
    'webinar:ebook-lead-types',
    'expert-call ',
    'EXPERT-CALL',
    'ebook-lead-types.pdf',
    '',
  ])('knows no offer %j', (ref) => {
    // Act
    const offer = resolveOffer(ref);

    // Assess
    expect(offer).toBeUndefined();
  });

  it('titles a download by its catalogue title in the locale', () => {
    // Act
    const offer = resolveOffer('pricing-guide')!;

    // Assess
    expect(offerTitle(offer, 'de')).toBe('Preisleitfaden: Pakete und Konditionen');
    expect(offerTitle(offer, 'en')).toBe('Pricing Guide: Plans and Terms');
  });
});

describe('webinar catalogue', () => {
  it('parses the shipped file: starts normalised to UTC, end from the duration', () => {
    // Act
    const [webinar] = parseWebinarCatalogue(rawWebinars);

    // Assess
    expect(webinar).toEqual({
      id: 'lead-scoring-praxis',
      title: { de: 'Webinar: Lead-Scoring in der Praxis', en: 'Webinar: Lead Scoring in Practice' },
      starts: '2027-06-17T08:00:00.000Z',
      durationMinutes: 45,
    });
    expect(webinarEndsAt(webinar!)).toBe('2027-06-17T08:45:00.000Z');
  });

  const valid = () => structuredClone(rawWebinars) as { webinars: Array<Record<string, unknown>> };

  it.each([
    ['a start without an offset', (c: ReturnType<typeof valid>) => (c.webinars[0]!.starts = '2027-06-17T10:00:00'), 'starts'],
    ['a duplicate id', (c: ReturnType<typeof valid>) => c.webinars.push({ ...c.webinars[0]! }), 'duplicate webinar id'],
    ['an id that is not a slug', (c: ReturnType<typeof valid>) => (c.webinars[0]!.id = 'Lead Scoring'), 'lower-case slug'],
    ['a missing English title', (c: ReturnType<typeof valid>) => (c.webinars[0]!.title = { de: 'x' }), 'en'],
    ['a zero duration', (c: ReturnType<typeof valid>) => (c.webinars[0]!.durationMinutes = 0), 'durationMinutes'],
    ['an unknown key', (c: ReturnType<typeof valid>) => (c.webinars[0]!.room = 'A'), 'room'],
  ])('rejects %s', (_name, mutate, mentioned) => {
    // Prepare
    const candidate = valid();
    mutate(candidate);

    // Act
    const parse = () => parseWebinarCatalogue(candidate);

    // Assess
    expect(parse).toThrow(mentioned);
  });
});
