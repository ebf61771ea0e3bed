import { marketingConsentState } from '../domain/consent-state';
import type { StoredLeadData, SuppressionItem } from '../storage/erase-lead';

/**
 * The GDPR export (Art. 15) of one lead, built from what is stored: every item of its partition and the message lookups
 * of its emails, keys stripped, grouped by kind, plus convenience sections. Pure: the CLI's `lead export` and the
 * console's lead page and export read the data and call this.
 */

type Item = Record<string, unknown>;

/** Profile attributes that are index keys or bookkeeping, not data about the person (createdAt, consent, mqlAt carry the facts). */
const INTERNAL_PROFILE_ATTRIBUTES = new Set(['pk', 'sk', 'dueShard', 'createdDay', 'salesQueue', 'subscriberShard']);
/** Sales decisions (accept / recycle / reject) as the sales workflow stores them on the profile. */
const SALES_DECISION_ATTRIBUTE = /^(sales|decision|decided|accept|reject|recycl|disqualif|engagementReset)/i;
const NURTURE_ATTRIBUTE = /^nurture/;

export function buildLeadExport(input: {
  email: string;
  leadId: string;
  exportedAt: string;
  data: StoredLeadData;
  suppression?: SuppressionItem;
}) {
  const { items, messageLookups } = input.data;
  const ofKind = (predicate: (sk: string) => boolean) => items.filter((item) => predicate(String(item.sk)));
  const profileItem = items.find((item) => item.sk === 'PROFILE');
  const profile = profileItem ? omit(profileItem, INTERNAL_PROFILE_ATTRIBUTES) : null;
  const lookupById = new Map(messageLookups.map((lookup) => [String(String(lookup.pk).slice('MESSAGE#'.length)), stripKeys(lookup)]));

  return {
    exportedAt: input.exportedAt,
    subject: { email: input.email, leadId: input.leadId },
    profile,
    consent: profile
      ? {
          marketing: marketingConsentState(
            profile as { consentRequestedAt?: string; consentConfirmedAt?: string; consentWithdrawnAt?: string },
          ),
          requestedAt: profile.consentRequestedAt ?? null,
          confirmedAt: profile.consentConfirmedAt ?? null,
          withdrawnAt: profile.consentWithdrawnAt ?? null,
          optInSentAt: profile.optInSentAt ?? null,
          evidence: consentEvidenceOf(profile, items),
        }
      : null,
    salesDecision: profile ? pick(profile, (name) => SALES_DECISION_ATTRIBUTE.test(name)) : {},
    nurture: profile ? pick(profile, (name) => NURTURE_ATTRIBUTE.test(name)) : {},
    interactions: ofKind((sk) => sk.startsWith('INTERACTION#')).map(stripKeys),
    emails: ofKind((sk) => sk.startsWith('EMAIL#')).map((item) => ({
      ...stripKeys(item),
      lookup: lookupById.get(String(item.messageId)) ?? null,
    })),
    messageLookups: messageLookups.map((lookup) => ({ messageId: String(lookup.pk).slice('MESSAGE#'.length), ...stripKeys(lookup) })),
    outboxEvents: ofKind((sk) => sk.startsWith('EVENT#')).map((item) => ({
      event: String(item.sk).slice('EVENT#'.length),
      ...stripKeys(item),
    })),
    submissions: ofKind((sk) => sk.startsWith('SUBMISSION#')).map(stripKeys),
    otherItems: ofKind((sk) => !/^(PROFILE$|INTERACTION#|EMAIL#|EVENT#|SUBMISSION#)/.test(sk)).map((item) => ({
      kind: String(item.sk).split('#')[0],
      ...stripKeys(item),
    })),
    suppressionList: input.suppression ? { erasedAt: input.suppression.erasedAt } : null,
  };
}

type Evidence = { at?: string; ip?: string; userAgent?: string; form?: string; textVersion?: string };

/**
 * Every consent request's evidence, oldest first: each is kept with the interaction it came with; the
 * profile holds the first and the latest (and, written by earlier versions, a list of all).
 */
function consentEvidenceOf(profile: Item, items: Item[]): Evidence[] {
  const candidates = [
    ...((profile.consentEvidence as Evidence[] | undefined) ?? []),
    ...items
      .filter((item) => String(item.sk).startsWith('INTERACTION#') && item.consentEvidence)
      .map((item) => item.consentEvidence as Evidence),
    ...[profile.consentEvidenceFirst, profile.consentEvidenceLatest].filter((evidence): evidence is Evidence => Boolean(evidence)),
  ];
  const byRequest = new Map<string, Evidence>();
  for (const evidence of candidates)
    byRequest.set([evidence.at, evidence.ip, evidence.userAgent, evidence.form, evidence.textVersion].join('\n'), evidence);
  return [...byRequest.values()].sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? -1 : (a.at ?? '') > (b.at ?? '') ? 1 : 0));
}

function stripKeys(item: Item): Item {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}

function omit(item: Item, names: Set<string>): Item {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !names.has(name)));
}

function pick(item: Item, keep: (name: string) => boolean): Item {
  return Object.fromEntries(Object.entries(item).filter(([name]) => keep(name)));
}
