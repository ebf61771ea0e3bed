import { describe, expect, it } from 'vitest';
import { validateForm, type ValidForm } from '../../../shared/capture/form-schemas';
import { parseFormBody } from '../../../shared/capture/parse-form-body';
import { submissionFingerprint } from '../../../shared/capture/submission-fingerprint';

const contactFields = {
  email: 'anna@example.com',
  firstName: 'Anna',
  lastName: 'Schmidt',
  message: 'Please call me.',
  utm_source: 'google',
  page: 'https://www.example.com/kontakt',
};

describe('submissionFingerprint', () => {
  it('is a sha256 hex digest', () => {
    // Prepare
    const form = validateForm('contact', contactFields, {});

    // Act
    const fingerprint = submissionFingerprint(form);

    // Assess
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for a repeated submission (double-click)', () => {
    // Prepare
    const first = validateForm('contact', contactFields, {});
    const second = validateForm('contact', { ...contactFields }, {});

    // Act
    const fingerprints = [submissionFingerprint(first), submissionFingerprint(second)];

    // Assess
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it('does not depend on key order, at any level', () => {
    // Prepare
    const form = validateForm('contact', contactFields, {});
    const reordered = Object.fromEntries(
      Object.entries({ ...form, attribution: Object.fromEntries(Object.entries(form.attribution).reverse()) }).reverse(),
    ) as unknown as ValidForm;

    // Act
    const fingerprints = [submissionFingerprint(form), submissionFingerprint(reordered)];

    // Assess
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(form));
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it('is the same for the JSON and the urlencoded form of one submission', () => {
    // Prepare
    const json = parseFormBody({ contentType: 'application/json', body: JSON.stringify(contactFields), isBase64Encoded: false });
    const urlencoded = parseFormBody({
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams(Object.entries(contactFields).reverse()).toString(),
      isBase64Encoded: false,
    });

    // Act
    const fingerprints = [json, urlencoded].map((body) => submissionFingerprint(validateForm('contact', body.fields, {})));

    // Assess
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it('ignores normalisation differences, the honeypot, the redirect and unknown fields', () => {
    // Prepare
    const base = validateForm('contact', contactFields, {});
    const noisy = validateForm(
      'contact',
      { ...contactFields, email: ' ANNA@Example.com ', firstName: ' Anna', website: 'x', redirect: 'https://x.example', extra: 1 },
      {},
    );

    // Act
    const fingerprints = [submissionFingerprint(base), submissionFingerprint(noisy)];

    // Assess
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it.each([
    ['another email', { email: 'bob@example.com' }],
    ['another message', { message: 'Please email me.' }],
    ['a phone number', { phone: '+49 30 123' }],
    ['another campaign', { utm_source: 'linkedin' }],
    ['consent', { marketingConsent: true }],
    ['another locale', { locale: 'en' }],
  ])('changes with %s', (_label, change) => {
    // Prepare
    const base = validateForm('contact', contactFields, {});
    const changed = validateForm('contact', { ...contactFields, ...change }, {});

    // Act
    const fingerprints = [submissionFingerprint(base), submissionFingerprint(changed)];

    // Assess
    expect(fingerprints[0]).not.toBe(fingerprints[1]);
  });

  it('differs between forms with the same fields', () => {
    // Prepare
    const fields = { email: 'anna@example.com', firstName: 'Anna', marketingConsent: true, assetId: 'pricing-guide' };
    const newsletter = validateForm('newsletter', fields, {});
    const download = validateForm('download', fields, {});

    // Act
    const fingerprints = [submissionFingerprint(newsletter), submissionFingerprint(download)];

    // Assess
    expect(fingerprints[0]).not.toBe(fingerprints[1]);
  });

  it('differs between downloads of different assets', () => {
    // Prepare
    const fields = { email: 'anna@example.com', firstName: 'Anna' };
    const ebook = validateForm('download', { ...fields, assetId: 'ebook-lead-types' }, {});
    const pricing = validateForm('download', { ...fields, assetId: 'pricing-guide' }, {});

    // Act
    const fingerprints = [submissionFingerprint(ebook), submissionFingerprint(pricing)];

    // Assess
    expect(fingerprints[0]).not.toBe(fingerprints[1]);
  });
});
