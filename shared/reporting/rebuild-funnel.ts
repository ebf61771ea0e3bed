/**
 * Rebuilding the funnel projection from what the leads' items say, pure: the table's items in (any order, as a
 * parallel Scan yields them), the projection's items out, with the same rules and the same key bound as the live writes.
 *
 * What the items tell, and so what is rebuilt:
 * - totals: every lead profile in its current stages; "ever MQL" as the funnel report always read it (mql or sql now,
 *   or mqlAt, or qualificationSeq > 0); "reached warm" is any lifecycle but cold;
 * - per day: leads created (createdAt) by first touch; MQLs (mqlAt: the latest time the lead became one) and SQLs
 *   (an accepting sales decision) by first touch; mail sent (the lead's EMAIL items), opened and clicked (its
 *   email_open / email_click interactions, once per message) per template.
 * What no item keeps, a rebuild cannot bring back: a lead that qualified twice counts once, on its latest MQL day;
 * stage transitions by field/from/to, bounces, complaints and unsubscribes per template start again from the rebuild.
 */
import type { FunnelStage, Lifecycle, Qualification } from '../domain/lead';
import {
  createdOn,
  emailEvent,
  type FirstTouch,
  firstTouchOf,
  IMPORT_FIRST_TOUCH,
  leadInTotals,
  type ProjectionChange,
  reachedOn,
  stagesOfProfile,
  storedFirstTouch,
  UNKNOWN_FIRST_TOUCH,
} from './funnel-projection';
import { applyInMemory, type ProjectionItems } from './funnel-projection-items';

/** What the rebuild reads of a profile item. */
interface ProfileFacts {
  leadId: string;
  createdAt: string;
  createdDay?: string;
  lifecycle: Lifecycle;
  qualification?: Qualification;
  funnelStage?: FunnelStage | null;
  pql: boolean;
  everMql: boolean;
  mqlAt?: string;
  sqlAt?: string;
  firstTouch?: FirstTouch;
  imported: boolean;
}

interface LeadFacts {
  profile?: ProfileFacts;
  /** the earliest interaction (sort key order), for leads created before the first touch was stored */
  earliest?: { sk: string; touch: FirstTouch };
  /** messageId → template, sent time, whether it went to the lead */
  mails: Map<string, { templateId: string; sentAt: string; toLead: boolean }>;
  /** messageId → earliest open / click time */
  opened: Map<string, string>;
  clicked: Map<string, string>;
}

export interface RebuildResult {
  items: ProjectionItems;
  /** the projection day items found in the table (the caller deletes those the rebuild does not write again) */
  existingDayKeys: Array<{ pk: string; sk: string }>;
  /** leads whose profile lacks createdDay (created before it was written): the caller sets it, for the recent-leads index */
  missingCreatedDay: Array<{ leadId: string; createdDay: string }>;
  leads: number;
}

/**
 * Collects the facts of every item handed to `add`, then `result()` folds them, in time order, into projection items.
 * Time order matters only for the bound: the first MAX_KEYS_PER_DAY keys of a day are kept, as live.
 */
export class FunnelRebuild {
  private readonly leads = new Map<string, LeadFacts>();
  private readonly existingDayKeys: Array<{ pk: string; sk: string }> = [];

  add(item: Record<string, unknown>): void {
    const pk = String(item.pk ?? '');
    const sk = String(item.sk ?? '');
    if (pk.startsWith('FUNNEL#DAY#')) {
      this.existingDayKeys.push({ pk, sk });
      return;
    }
    if (!pk.startsWith('LEAD#')) return;
    const leadId = pk.slice('LEAD#'.length);
    const facts = this.factsOf(leadId);
    if (sk === 'PROFILE') facts.profile = profileFacts(leadId, item);
    else if (sk.startsWith('INTERACTION#')) {
      if (!facts.earliest || sk < facts.earliest.sk)
        facts.earliest = { sk, touch: firstTouchOf(item as Parameters<typeof firstTouchOf>[0]) };
      const messageId = typeof item.messageId === 'string' ? item.messageId : undefined;
      const at = typeof item.at === 'string' ? item.at : undefined;
      if (messageId && at && (item.type === 'email_open' || item.type === 'email_click')) {
        const seen = item.type === 'email_open' ? facts.opened : facts.clicked;
        const earlier = seen.get(messageId);
        if (earlier === undefined || at < earlier) seen.set(messageId, at);
      }
    } else if (sk.startsWith('EMAIL#')) {
      if (typeof item.messageId === 'string' && typeof item.templateId === 'string' && typeof item.sentAt === 'string') {
        facts.mails.set(item.messageId, { templateId: item.templateId, sentAt: item.sentAt, toLead: item.category !== 'sales' });
      }
    }
  }

  result(): RebuildResult {
    const facts: Array<{ at: string; change: ProjectionChange }> = [];
    const missingCreatedDay: RebuildResult['missingCreatedDay'] = [];
    let leads = 0;
    for (const lead of this.leads.values()) {
      const profile = lead.profile;
      // Items of an erased lead (a partition without a profile) count for nothing, as the lead no longer counts.
      if (!profile) continue;
      leads += 1;
      const touch = firstTouchFor(profile, lead);
      facts.push({ at: profile.createdAt, change: leadInTotals(profile) });
      facts.push({ at: profile.createdAt, change: createdOn(profile.createdAt, touch) });
      if (profile.mqlAt) facts.push({ at: profile.mqlAt, change: reachedOn(profile.mqlAt, 'mql', touch) });
      if (profile.sqlAt) facts.push({ at: profile.sqlAt, change: reachedOn(profile.sqlAt, 'sql', touch) });
      if (profile.createdDay === undefined) missingCreatedDay.push({ leadId: profile.leadId, createdDay: profile.createdAt.slice(0, 10) });
      for (const [messageId, mail] of lead.mails) {
        if (!mail.toLead) continue;
        facts.push({ at: mail.sentAt, change: emailEvent({ counter: 'sent', templateId: mail.templateId, at: mail.sentAt }) });
        const opened = lead.opened.get(messageId);
        if (opened) facts.push({ at: opened, change: emailEvent({ counter: 'opened', templateId: mail.templateId, at: opened }) });
        const clicked = lead.clicked.get(messageId);
        if (clicked) facts.push({ at: clicked, change: emailEvent({ counter: 'clicked', templateId: mail.templateId, at: clicked }) });
      }
    }
    facts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const items: ProjectionItems = new Map();
    // The totals item is written even when there is no lead, so a rebuild of an empty table resets it.
    applyInMemory(items, { increments: [{ item: { kind: 'totals' }, counter: 'total', by: 0 }], keyed: [] });
    for (const fact of facts) applyInMemory(items, fact.change);
    return { items, existingDayKeys: this.existingDayKeys, missingCreatedDay, leads };
  }

  private factsOf(leadId: string): LeadFacts {
    let facts = this.leads.get(leadId);
    if (!facts) {
      facts = { mails: new Map(), opened: new Map(), clicked: new Map() };
      this.leads.set(leadId, facts);
    }
    return facts;
  }
}

/** As the live projection reads it: stored at creation, else "import", else the lead's earliest interaction. */
function firstTouchFor(profile: ProfileFacts, facts: LeadFacts): FirstTouch {
  return profile.firstTouch ?? (profile.imported ? IMPORT_FIRST_TOUCH : (facts.earliest?.touch ?? UNKNOWN_FIRST_TOUCH));
}

function profileFacts(leadId: string, item: Record<string, unknown>): ProfileFacts {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const { lifecycle, qualification, funnelStage, pql, everMql } = stagesOfProfile(item);
  const mqlAt = text('mqlAt');
  const decision = item.salesDecision as { decision?: unknown; at?: unknown } | null | undefined;
  const sqlAt = lifecycle === 'sql' && decision?.decision === 'accepted' && typeof decision.at === 'string' ? decision.at : undefined;
  const firstTouch = storedFirstTouch(item.firstTouch);
  const createdDay = text('createdDay');
  return {
    leadId,
    createdAt: text('createdAt') ?? '1970-01-01T00:00:00.000Z',
    ...(createdDay !== undefined ? { createdDay } : {}),
    lifecycle,
    ...(qualification !== undefined ? { qualification } : {}),
    funnelStage: funnelStage ?? null,
    pql: pql ?? false,
    everMql,
    ...(mqlAt !== undefined ? { mqlAt } : {}),
    ...(sqlAt !== undefined ? { sqlAt } : {}),
    ...(firstTouch ? { firstTouch } : {}),
    imported: item.source === 'import',
  };
}
