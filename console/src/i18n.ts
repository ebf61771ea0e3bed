/**
 * The console's words, German and English. Labels that sales already reads elsewhere (funnel stages, score reasons,
 * interaction types, recycle reasons, the decision buttons) come from the same modules as the sales mail and the
 * decision pages, so a lead is described with the same words everywhere.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { FunnelStage, InteractionType, Lifecycle, Qualification } from '../../shared/domain/lead';
import type { RecycleReason } from '../../shared/domain/sales-decision';
import { DECISION_COPY, REASON_LABELS } from '../../shared/sales/decision-pages';
import {
  assetLabel,
  interactionLabel,
  qualificationLabel,
  scoreReasonLabel,
  stageLabel,
  webinarLabel,
} from '../../shared/sales/sales-labels';

export type Lang = 'de' | 'en';

const LIFECYCLE_LABELS: Record<Lang, Record<Lifecycle, string>> = {
  de: { cold: 'Kalt', warm: 'Warm', mql: 'MQL', sql: 'SQL' },
  en: { cold: 'Cold', warm: 'Warm', mql: 'MQL', sql: 'SQL' },
};

const CONSENT_LABELS: Record<Lang, Record<string, string>> = {
  de: { none: 'Keine', pending: 'Ausstehend (nicht bestätigt)', confirmed: 'Bestätigt', withdrawn: 'Widerrufen' },
  en: { none: 'None', pending: 'Pending (not confirmed)', confirmed: 'Confirmed', withdrawn: 'Withdrawn' },
};

const de = {
  appName: 'leadpipe Konsole',
  skipToContent: 'Zum Inhalt springen',
  nav: {
    label: 'Hauptnavigation',
    dashboard: 'Übersicht',
    leads: 'Leads',
    emails: 'E-Mails',
    sequences: 'Sequenzen',
    campaigns: 'Kampagnen',
    rules: 'Regeln',
  },
  language: 'Sprache',
  signOut: 'Abmelden',
  signedInAs: (email: string) => `Angemeldet als ${email}`,
  loading: 'Wird geladen …',
  errors: {
    forbidden: 'Das ist für Ihre Rolle nicht freigegeben.',
    network: 'Der Server ist nicht erreichbar. Bitte versuchen Sie es erneut.',
    generic: (status: number) => `Das hat nicht geklappt (Fehler ${status}).`,
    conflict: 'Das geht nicht mehr: Der Lead hat sich inzwischen geändert. Bitte laden Sie die Seite neu.',
    missing: 'Das gibt es nicht (mehr).',
    config: 'Die Konsole ist nicht richtig eingerichtet (config.json fehlt oder ist ungültig).',
    notFound: 'Diese Seite gibt es nicht.',
  },
  login: {
    title: 'Anmelden',
    intro: 'Lokale Anmeldung zum Ausprobieren: Wählen Sie eine E-Mail-Adresse und eine oder mehrere Rollen.',
    email: 'E-Mail-Adresse',
    roles: 'Rollen',
    submit: 'Anmelden',
    hosted: 'Mit Ihrem Firmenkonto anmelden',
    hostedIntro: 'Die Anmeldung läuft über die Anmeldeseite Ihres Unternehmens.',
    chooseRole: 'Bitte wählen Sie mindestens eine Rolle.',
    failed: 'Die Anmeldung hat nicht geklappt. Bitte versuchen Sie es erneut.',
  },
  roles: { marketing: 'Marketing', sales: 'Vertrieb', admin: 'Administration' },
  dashboard: {
    title: 'Übersicht',
    from: 'Von',
    to: 'Bis',
    apply: 'Anzeigen',
    range: 'Zeitraum',
    kpiCreated: 'Neue Leads im Zeitraum',
    kpiMql: 'Neue MQLs im Zeitraum',
    kpiSql: 'Neue SQLs im Zeitraum',
    funnel: 'Leads nach Lebenszyklus',
    stages: 'Leads nach Phase',
    conversion: 'Konversionsraten',
    mqlPerWeek: 'MQLs pro Woche',
    weekOf: (date: string) => `Woche ab ${date}`,
    sources: 'Quellen',
    source: 'Quelle',
    leads: 'Leads',
    mqls: 'MQLs',
    rate: 'MQL-Rate',
    direct: '(direkt / unbekannt)',
    otherSources: '(weitere Quellen)',
    noStage: 'Ohne Phase',
    conversionRate: 'Quote',
    step: 'Schritt',
    ofTotal: 'Anzahl',
    outOf: (n: string, total: string) => `${n} von ${total}`,
    nowNote: 'Lebenszyklus, Phasen und Konversion: alle Leads, Stand heute. Kennzahlen oben, Wochen und Quellen: im Zeitraum.',
    noData: 'Keine Daten im Zeitraum.',
    chartSummary: 'Die Werte des Diagramms stehen auch in der Tabelle.',
    count: 'Anzahl',
  },
  leads: {
    title: 'Leads',
    filters: 'Filter',
    lifecycle: 'Lebenszyklus',
    stage: 'Phase',
    any: 'Alle',
    search: 'E-Mail-Adresse (exakt)',
    apply: 'Filtern',
    reset: 'Zurücksetzen',
    more: 'Weitere laden',
    none: 'Keine Leads gefunden.',
    name: 'Name',
    email: 'E-Mail',
    company: 'Unternehmen',
    score: 'Punkte',
    created: 'Angelegt',
    count: (n: number) => (n === 1 ? '1 Lead angezeigt' : `${n} Leads angezeigt`),
  },
  lead: {
    back: 'Zurück zur Liste',
    profile: 'Profil',
    name: 'Name',
    company: 'Unternehmen',
    jobTitle: 'Position',
    phone: 'Telefon',
    language: 'Sprache',
    lifecycle: 'Lebenszyklus',
    qualification: 'Qualifizierung',
    stage: 'Phase',
    pql: 'Produkt-qualifiziert (PQL)',
    yes: 'Ja',
    no: 'Nein',
    score: 'Punkte',
    fit: 'Passung',
    engagement: 'Engagement',
    created: 'Angelegt',
    explanation: 'Wie sich die Punkte zusammensetzen',
    reason: 'Grund',
    points: 'Punkte',
    when: 'Wann',
    noExplanation: 'Noch keine Punkte.',
    scoreOverTime: 'Punkte im Zeitverlauf',
    timeline: 'Verlauf',
    event: 'Ereignis',
    details: 'Details',
    emailSent: (template: string) => `E-Mail gesendet: ${template}`,
    emailStatus: 'Zustellung',
    noTimeline: 'Noch keine Einträge.',
    consent: 'Einwilligung',
    consentState: 'Marketing-Einwilligung',
    consentConfirmedAt: 'Bestätigt am',
    consentRequestedAt: 'Angefragt am',
    optInSentAt: 'Bestätigungs-E-Mail gesendet am',
    evidenceForm: 'Formular',
    evidenceText: 'Fassung des Einwilligungstexts',
    evidenceIp: 'IP-Adresse',
    evidenceBrowser: 'Browser',
    consentWithdrawnAt: 'Widerrufen am',
    evidence: 'Nachweis',
    decision: 'Entscheidung des Vertriebs',
    accept: DECISION_COPY.de.acceptButton as string,
    recycle: DECISION_COPY.de.recycleButton as string,
    reasonLabel: DECISION_COPY.de.reason as string,
    chooseReason: DECISION_COPY.de.chooseReason as string,
    decided: 'Entschieden',
    accepted: (by: string, at: string) => DECISION_COPY.de.accepted(by, at),
    recycled: (by: string, at: string, reason: string) => DECISION_COPY.de.recycled(by, at, reason),
    notMql: 'Nur ein MQL kann angenommen oder zurückgestellt werden.',
    saved: 'Gespeichert.',
    export: 'Daten exportieren (JSON)',
    erase: 'Lead löschen',
    eraseConfirm: (email: string) => `${email} endgültig löschen? Das lässt sich nicht rückgängig machen.`,
    erased: 'Der Lead wurde gelöscht.',
    actions: 'Aktionen',
  },
  emails: {
    title: 'E-Mails',
    preview: (name: string, lang: string) => `Vorschau: ${name} (${lang})`,
    subject: 'Betreff',
    performance: 'Zahlen',
    sent: 'Gesendet',
    opened: 'Geöffnet',
    clicked: 'Geklickt',
    bounced: 'Unzustellbar',
    complained: 'Beschwerden',
    unsubscribed: 'Abgemeldet',
    testSend: 'Test an mich senden',
    testSent: (to: string) => `Test an ${to} gesendet.`,
    german: 'Deutsch',
    english: 'Englisch',
    none: 'Keine Vorlagen.',
    rangeNote: (from: string, to: string) => `Zahlen vom ${from} bis ${to}. Die Vorschau zeigt Beispieldaten.`,
    kinds: {
      system: 'Transaktionsmail an den Lead',
      marketing: 'Marketing-Mail (mit Einwilligung)',
      sales: 'Mail an den Vertrieb',
    } as Record<'system' | 'marketing' | 'sales', string>,
  },
  sequences: {
    title: 'Sequenzen',
    intro: (from: string, to: string) =>
      `Die Nurture-Strecken je Phase: Tag ab Eintritt in die Strecke, E-Mail und Angebot. Zahlen vom ${from} bis ${to}.`,
    track: (stage: string) => `Strecke ${stage}`,
    step: 'Schritt',
    day: 'Tag',
    dayValue: (day: number) => `Tag ${day}`,
    template: 'E-Mail',
    offer: 'Angebot',
    figures: 'Zahlen',
    settings: 'Einstellungen',
    frequencyCap: 'Mindestabstand zwischen zwei E-Mails',
    hours: (n: number) => `${n} Stunden`,
    recycleCoolOff: 'Pause nach dem Zurückstellen',
    days: (n: number) => `${n} Tage`,
  },
  campaigns: {
    title: 'Kampagnen',
    intro: (limit: number) => `Newsletter-Kampagnen, die neueste Sendezeit zuerst (höchstens ${limit}).`,
    campaign: 'Kampagne',
    status: 'Status',
    sendAt: 'Sendezeit',
    statuses: { scheduled: 'Geplant', sending: 'Wird gesendet', finished: 'Gesendet', cancelled: 'Abgebrochen' } as Record<
      'scheduled' | 'sending' | 'finished' | 'cancelled',
      string
    >,
    counts: {
      sent: 'Gesendet',
      delivered: 'Zugestellt',
      opened: 'Geöffnet',
      clicked: 'Geklickt',
      bounced: 'Bounces',
      complained: 'Beschwerden',
      unsubscribed: 'Abgemeldet',
    } as Record<'sent' | 'delivered' | 'opened' | 'clicked' | 'bounced' | 'complained' | 'unsubscribed', string>,
    emptyBefore: 'Noch keine Kampagnen. Eine Kampagne wird mit',
    emptyCommand: 'npx leadpipe campaign send <Ordner>',
    emptyAfter: 'verschickt.',
  },
  rules: {
    title: 'Regeln',
    intro: [
      'Die Punkteregeln. Ändern Sie Werte und prüfen Sie in der Vorschau, welche Leads sich ändern würden.',
      'Gespeichert wird nichts.',
    ].join(' '),
    rule: 'Regel',
    points: 'Punkte',
    section: 'Bereich',
    preview: 'Änderung prüfen',
    reset: 'Zurücksetzen',
    result: 'Ergebnis der Vorschau',
    sample: 'Geprüfte Leads',
    sampleValue: (n: string, limit: string) => `${n} (die neuesten, höchstens ${limit})`,
    leadsChanged: 'Leads mit anderem Lebenszyklus, anderer Qualifizierung oder Phase',
    scoreChanged: 'Leads mit anderer Punktzahl',
    changes: 'Änderungen',
    change: 'Änderung',
    leads: 'Leads',
    examples: 'Beispiele',
    noChanges: 'Kein Lead würde Lebenszyklus, Qualifizierung oder Phase wechseln.',
    before: 'Vorher',
    after: 'Nachher',
  },
  date: 'Datum',
};

type Copy = typeof de;

const en: Copy = {
  appName: 'leadpipe console',
  skipToContent: 'Skip to content',
  nav: {
    label: 'Main navigation',
    dashboard: 'Dashboard',
    leads: 'Leads',
    emails: 'Emails',
    sequences: 'Sequences',
    campaigns: 'Campaigns',
    rules: 'Rules',
  },
  language: 'Language',
  signOut: 'Sign out',
  signedInAs: (email) => `Signed in as ${email}`,
  loading: 'Loading …',
  errors: {
    forbidden: 'This is not allowed for your role.',
    network: 'The server cannot be reached. Please try again.',
    generic: (status) => `That did not work (error ${status}).`,
    conflict: 'That is no longer possible: the lead has changed in the meantime. Please reload the page.',
    missing: 'This does not exist (any more).',
    config: 'The console is not set up correctly (config.json is missing or invalid).',
    notFound: 'There is no such page.',
  },
  login: {
    title: 'Sign in',
    intro: 'Local sign-in for trying things out: choose an email address and one or more roles.',
    email: 'Email address',
    roles: 'Roles',
    submit: 'Sign in',
    hosted: 'Sign in with your company account',
    hostedIntro: "Sign-in goes through your company's sign-in page.",
    chooseRole: 'Please choose at least one role.',
    failed: 'Sign-in did not work. Please try again.',
  },
  roles: { marketing: 'Marketing', sales: 'Sales', admin: 'Admin' },
  dashboard: {
    title: 'Dashboard',
    from: 'From',
    to: 'To',
    apply: 'Show',
    range: 'Date range',
    kpiCreated: 'New leads in range',
    kpiMql: 'New MQLs in range',
    kpiSql: 'New SQLs in range',
    funnel: 'Leads by lifecycle',
    stages: 'Leads by stage',
    conversion: 'Conversion rates',
    mqlPerWeek: 'MQLs per week',
    weekOf: (date) => `Week of ${date}`,
    sources: 'Sources',
    source: 'Source',
    leads: 'Leads',
    mqls: 'MQLs',
    rate: 'MQL rate',
    direct: '(direct / unknown)',
    otherSources: '(other sources)',
    noStage: 'No stage',
    conversionRate: 'Rate',
    step: 'Step',
    ofTotal: 'Count',
    outOf: (n, total) => `${n} of ${total}`,
    nowNote: 'Lifecycle, stages and conversion: all leads, as of today. Figures at the top, weeks and sources: in the range.',
    noData: 'No data in this range.',
    chartSummary: 'The chart values are also in the table.',
    count: 'Count',
  },
  leads: {
    title: 'Leads',
    filters: 'Filters',
    lifecycle: 'Lifecycle',
    stage: 'Stage',
    any: 'All',
    search: 'Email address (exact)',
    apply: 'Filter',
    reset: 'Reset',
    more: 'Load more',
    none: 'No leads found.',
    name: 'Name',
    email: 'Email',
    company: 'Company',
    score: 'Score',
    created: 'Created',
    count: (n) => (n === 1 ? '1 lead shown' : `${n} leads shown`),
  },
  lead: {
    back: 'Back to the list',
    profile: 'Profile',
    name: 'Name',
    company: 'Company',
    jobTitle: 'Job title',
    phone: 'Phone',
    language: 'Language',
    lifecycle: 'Lifecycle',
    qualification: 'Qualification',
    stage: 'Stage',
    pql: 'Product qualified (PQL)',
    yes: 'Yes',
    no: 'No',
    score: 'Score',
    fit: 'Fit',
    engagement: 'Engagement',
    created: 'Created',
    explanation: 'How the score adds up',
    reason: 'Reason',
    points: 'Points',
    when: 'When',
    noExplanation: 'No points yet.',
    scoreOverTime: 'Score over time',
    timeline: 'Timeline',
    event: 'Event',
    details: 'Details',
    emailSent: (template) => `Email sent: ${template}`,
    emailStatus: 'Delivery',
    noTimeline: 'Nothing yet.',
    consent: 'Consent',
    consentState: 'Marketing consent',
    consentConfirmedAt: 'Confirmed on',
    consentRequestedAt: 'Requested on',
    optInSentAt: 'Confirmation email sent on',
    evidenceForm: 'Form',
    evidenceText: 'Version of the consent text',
    evidenceIp: 'IP address',
    evidenceBrowser: 'Browser',
    consentWithdrawnAt: 'Withdrawn on',
    evidence: 'Evidence',
    decision: 'Sales decision',
    accept: DECISION_COPY.en.acceptButton,
    recycle: DECISION_COPY.en.recycleButton,
    reasonLabel: DECISION_COPY.en.reason,
    chooseReason: DECISION_COPY.en.chooseReason,
    decided: 'Decided',
    accepted: (by, at) => DECISION_COPY.en.accepted(by, at),
    recycled: (by, at, reason) => DECISION_COPY.en.recycled(by, at, reason),
    notMql: 'Only an MQL can be accepted or recycled.',
    saved: 'Saved.',
    export: 'Export data (JSON)',
    erase: 'Erase lead',
    eraseConfirm: (email) => `Erase ${email} for good? This cannot be undone.`,
    erased: 'The lead was erased.',
    actions: 'Actions',
  },
  emails: {
    title: 'Emails',
    preview: (name, lang) => `Preview: ${name} (${lang})`,
    subject: 'Subject',
    performance: 'Figures',
    sent: 'Sent',
    opened: 'Opened',
    clicked: 'Clicked',
    bounced: 'Bounced',
    complained: 'Complaints',
    unsubscribed: 'Unsubscribed',
    testSend: 'Send a test to me',
    testSent: (to) => `Test sent to ${to}.`,
    german: 'German',
    english: 'English',
    none: 'No templates.',
    rangeNote: (from, to) => `Figures from ${from} to ${to}. The preview shows sample data.`,
    kinds: { system: 'Transactional mail to the lead', marketing: 'Marketing mail (with consent)', sales: 'Mail to sales' },
  },
  sequences: {
    title: 'Sequences',
    intro: (from, to) => `The nurture tracks per stage: day after entering the track, email and offer. Figures from ${from} to ${to}.`,
    track: (stage) => `${stage} track`,
    step: 'Step',
    day: 'Day',
    dayValue: (day) => `Day ${day}`,
    template: 'Email',
    offer: 'Offer',
    figures: 'Figures',
    settings: 'Settings',
    frequencyCap: 'Minimum gap between two emails',
    hours: (n) => `${n} hours`,
    recycleCoolOff: 'Pause after a recycle',
    days: (n) => `${n} days`,
  },
  campaigns: {
    title: 'Campaigns',
    intro: (limit) => `Newsletter campaigns, latest send time first (at most ${limit}).`,
    campaign: 'Campaign',
    status: 'Status',
    sendAt: 'Send time',
    statuses: { scheduled: 'Scheduled', sending: 'Sending', finished: 'Sent', cancelled: 'Cancelled' },
    counts: {
      sent: 'Sent',
      delivered: 'Delivered',
      opened: 'Opened',
      clicked: 'Clicked',
      bounced: 'Bounces',
      complained: 'Complaints',
      unsubscribed: 'Unsubscribed',
    },
    emptyBefore: 'No campaigns yet. A campaign is sent with',
    emptyCommand: 'npx leadpipe campaign send <folder>',
    emptyAfter: '.',
  },
  rules: {
    title: 'Rules',
    intro: 'The scoring rules. Change values and preview which leads would change. Nothing is saved.',
    rule: 'Rule',
    points: 'Points',
    section: 'Section',
    preview: 'Preview change',
    reset: 'Reset',
    result: 'Preview result',
    sample: 'Leads checked',
    sampleValue: (n, limit) => `${n} (the newest, at most ${limit})`,
    leadsChanged: 'Leads with another lifecycle, qualification or stage',
    scoreChanged: 'Leads with another score',
    changes: 'Changes',
    change: 'Change',
    leads: 'Leads',
    examples: 'Examples',
    noChanges: 'No lead would change its lifecycle, qualification or stage.',
    before: 'Before',
    after: 'After',
  },
  date: 'Date',
};

export const COPY: Record<Lang, Copy> = { de, en };

/** The browser's language decides the first view; the switch overrides it for this tab. */
export function initialLang(): Lang {
  const stored = sessionStorage.getItem('leadpipe.console.lang');
  if (stored === 'de' || stored === 'en') return stored;
  return (navigator.language ?? 'de').toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function rememberLang(lang: Lang): void {
  sessionStorage.setItem('leadpipe.console.lang', lang);
  document.documentElement.lang = lang;
}

export const LangContext = createContext<Lang>('de');

export function useLang(): Lang {
  return useContext(LangContext);
}

export function useCopy(): Copy {
  return COPY[useLang()];
}

export const labels = {
  lifecycle: (value: Lifecycle, lang: Lang) => LIFECYCLE_LABELS[lang][value] ?? value,
  stage: (value: FunnelStage | null | undefined) => stageLabel(value),
  qualification: (value: Qualification, lang: Lang) => qualificationLabel(value, lang),
  interaction: (value: InteractionType, lang: Lang) => interactionLabel(value, lang) ?? value,
  reason: (value: string, lang: Lang) => scoreReasonLabel(value, lang),
  recycleReason: (value: RecycleReason, lang: Lang) => REASON_LABELS[lang][value],
  consent: (value: string, lang: Lang) => CONSENT_LABELS[lang][value] ?? value,
  asset: (id: string, lang: Lang) => assetLabel(id, undefined, lang),
  webinar: (id: string, lang: Lang) => webinarLabel(id, lang),
};

const TEMPLATE_NAMES: Record<Lang, Record<string, string>> = {
  de: {
    'opt-in': 'Bestätigung der Anmeldung (Double-Opt-in)',
    'download-link': 'Download-Link',
    'sales-notification': 'Benachrichtigung an den Vertrieb',
    'call-confirmation': 'Bestätigung des Expertengesprächs',
    'contact-acknowledgement': 'Eingangsbestätigung der Kontaktanfrage',
    'tofu-1': 'ToFu 1: Welcher Lead ist welcher?',
    'tofu-2': 'ToFu 2: Fallstudie',
    'mofu-1': 'MoFu 1: Webinar',
    'mofu-2': 'MoFu 2: Was kostet Lead-Management?',
    'bofu-1': 'BoFu 1: Expertengespräch',
  },
  en: {
    'opt-in': 'Subscription confirmation (double opt-in)',
    'download-link': 'Download link',
    'sales-notification': 'Notification to sales',
    'call-confirmation': 'Expert call confirmation',
    'contact-acknowledgement': 'Contact request acknowledgement',
    'tofu-1': 'ToFu 1: which lead is which?',
    'tofu-2': 'ToFu 2: case study',
    'mofu-1': 'MoFu 1: webinar',
    'mofu-2': 'MoFu 2: what does lead management cost?',
    'bofu-1': 'BoFu 1: expert call',
  },
};

/** A template by what it is for; a template this table does not know yet shows its id rather than nothing. */
export function templateName(id: string, lang: Lang): string {
  return TEMPLATE_NAMES[lang][id] ?? id;
}

/** A nurture offer: an asset title, a webinar title or the expert call. */
export function offerLabel(offer: string, lang: Lang): string {
  if (offer === 'expert-call') return lang === 'de' ? 'Expertengespräch (15 Minuten)' : 'Expert call (15 minutes)';
  if (offer.startsWith('webinar:')) return `Webinar: ${webinarLabel(offer.slice('webinar:'.length), lang)}`;
  return assetLabel(offer, undefined, lang);
}

const DATE_LOCALES: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(DATE_LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });
}

export function formatDate(isoDate: string, lang: Lang): string {
  const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return date.toLocaleDateString(DATE_LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' });
}

export function formatNumber(value: number, lang: Lang): string {
  return value.toLocaleString(DATE_LOCALES[lang]);
}

export function formatPercent(ratio: number, lang: Lang): string {
  return ratio.toLocaleString(DATE_LOCALES[lang], { style: 'percent', maximumFractionDigits: 1 });
}
