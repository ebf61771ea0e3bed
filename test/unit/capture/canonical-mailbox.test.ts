import { describe, expect, it } from 'vitest';
import { canonicalMailbox } from '../../../shared/domain/canonical-mailbox';

describe('canonicalMailbox (for rate limits only)', () => {
  it.each([
    ['victim+1@acme.example', 'victim@acme.example'],
    ['victim+a+b@acme.example', 'victim@acme.example'],
    ['victim@acme.example', 'victim@acme.example'],
    ['first.last+news@acme.example', 'first.last@acme.example'],
  ])('strips a +tag at any domain, keeps dots elsewhere: %s → %s', (address, mailbox) => {
    expect(canonicalMailbox(address)).toBe(mailbox);
  });

  it.each([
    ['j.a.n.e@gmail.com', 'jane@gmail.com'],
    ['jane+x@gmail.com', 'jane@gmail.com'],
    ['ja.ne+1@googlemail.com', 'jane@gmail.com'],
    ['jane@googlemail.com', 'jane@gmail.com'],
  ])('drops dots and maps googlemail.com for Gmail: %s → %s', (address, mailbox) => {
    expect(canonicalMailbox(address)).toBe(mailbox);
  });

  it('leaves what it cannot read alone: a leading "+", no "@"', () => {
    expect(canonicalMailbox('+tag@acme.example')).toBe('+tag@acme.example');
    expect(canonicalMailbox('not-an-address')).toBe('not-an-address');
  });
});
