/**
 * One lead: profile, how the score adds up (with its course over time), the timeline of what the lead did and what
 * it was sent, the consent evidence, and the actions the user's groups allow (decide, export, erase).
 */
import { Link } from 'wouter-preact';
import type { FunnelStage, InteractionType, Lifecycle, Qualification } from '../../../shared/domain/lead';
import type { SalesDecision } from '../../../shared/domain/sales-decision';
import { useApi } from '../api';
import type { Me } from '../access';
import { Actions } from './lead-actions';
import { formatDate, formatDateTime, type Lang, labels, templateName, useCopy, useLang } from '../i18n';
import { ChartCanvas, CHART_COLOURS, ErrorText, Loading, PageHeading } from '../ui';

export interface LeadDetail {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  jobTitle: string | null;
  phone: string | null;
  locale: Lang;
  lifecycle: Lifecycle;
  qualification: Qualification;
  funnelStage: FunnelStage | null;
  pql: boolean;
  score: number;
  fitScore: number;
  engagementScore: number;
  scoreExplanation: { reason: string; points: number; at: string }[];
  consent: {
    marketing: string;
    confirmedAt?: string;
    withdrawnAt?: string;
    requestedAt: string | null;
    optInSentAt: string | null;
    evidence: { at?: string; ip?: string; userAgent?: string; form?: string; textVersion?: string }[];
  };
  salesDecision: SalesDecision | null;
  createdAt: string;
  interactions: {
    type: InteractionType;
    at: string;
    assetId?: string;
    funnelStage?: FunnelStage;
    externalId?: string;
    channel: string | null;
    form: string | null;
    slot?: string;
    points: number;
    attribution: Record<string, string | undefined> | null;
  }[];
  emails: {
    templateId: string;
    sentAt: string;
    status: 'sent' | 'opened' | 'clicked';
    openedAt: string | null;
    clickedAt: string | null;
  }[];
}

export function LeadPage({ me, email }: { me: Me; email: string }) {
  const copy = useCopy();
  const lang = useLang();
  const lead = useApi<LeadDetail>(`/leads/${encodeURIComponent(email)}`);
  const data = lead.data;
  return (
    <>
      <p>
        <Link href="/leads">← {copy.lead.back}</Link>
      </p>
      <PageHeading>{data ? fullName(data) : email}</PageHeading>
      <Loading when={lead.loading && !data} />
      <ErrorText error={lead.error} />
      {data ? (
        <div class="stack">
          <div class="grid-lead">
            <Profile lead={data} lang={lang} />
            <Actions me={me} lead={data} reload={lead.reload} />
          </div>
          <Score lead={data} lang={lang} />
          <Timeline lead={data} lang={lang} />
          <Consent lead={data} lang={lang} />
        </div>
      ) : null}
    </>
  );
}

function fullName(lead: LeadDetail): string {
  return [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;
}

function Profile({ lead, lang }: { lead: LeadDetail; lang: Lang }) {
  const copy = useCopy().lead;
  const rows: [string, string][] = [
    [useCopy().leads.email, lead.email],
    [copy.company, lead.company ?? ''],
    [copy.jobTitle, lead.jobTitle ?? ''],
    [copy.phone, lead.phone ?? ''],
    [copy.language, lead.locale === 'de' ? (lang === 'de' ? 'Deutsch' : 'German') : lang === 'de' ? 'Englisch' : 'English'],
    [copy.lifecycle, labels.lifecycle(lead.lifecycle, lang)],
    [copy.qualification, labels.qualification(lead.qualification, lang)],
    [copy.stage, labels.stage(lead.funnelStage)],
    [copy.pql, lead.pql ? copy.yes : copy.no],
    [copy.score, `${lead.score} (${copy.fit} ${lead.fitScore}, ${copy.engagement} ${lead.engagementScore})`],
    [copy.created, formatDateTime(lead.createdAt, lang)],
  ];
  return (
    <section class="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{copy.profile}</h2>
      <dl class="facts" id="lead-profile">
        {rows
          .filter(([, value]) => value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd data-field={label === copy.lifecycle ? 'lifecycle' : undefined}>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

function Score({ lead, lang }: { lead: LeadDetail; lang: Lang }) {
  const copy = useCopy().lead;
  const contributions = [...lead.scoreExplanation].sort((a, b) => a.at.localeCompare(b.at));
  const course = contributions.map((c, index) => ({
    at: c.at,
    total: contributions.slice(0, index + 1).reduce((sum, each) => sum + each.points, 0),
  }));
  return (
    <section class="card" aria-labelledby="score-heading">
      <h2 id="score-heading">{copy.explanation}</h2>
      {contributions.length === 0 ? (
        <p class="muted">{copy.noExplanation}</p>
      ) : (
        <div class="grid-2">
          <table id="score-explanation">
            <thead>
              <tr>
                <th scope="col">{copy.reason}</th>
                <th scope="col" class="num">
                  {copy.points}
                </th>
                <th scope="col">{copy.when}</th>
              </tr>
            </thead>
            <tbody>
              {contributions.map((c) => (
                <tr key={`${c.reason}-${c.at}`}>
                  <th scope="row">{labels.reason(c.reason, lang)}</th>
                  <td class="num">+{c.points}</td>
                  <td class="nowrap">{formatDateTime(c.at, lang)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{copy.score}</th>
                <td class="num">{lead.score}</td>
                <td />
              </tr>
            </tfoot>
          </table>
          <div>
            <h3>{copy.scoreOverTime}</h3>
            <ChartCanvas
              height={200}
              label={`${copy.scoreOverTime}: ${course.map((p) => `${formatDateTime(p.at, lang)} ${p.total}`).join(', ')}`}
              config={{
                type: 'line',
                data: {
                  labels: course.map((p) => formatDate(p.at, lang)),
                  datasets: [{ label: copy.score, data: course.map((p) => p.total), borderColor: CHART_COLOURS[0], stepped: true }],
                },
                options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
              }}
            />
          </div>
        </div>
      )}
    </section>
  );
}

function Timeline({ lead, lang }: { lead: LeadDetail; lang: Lang }) {
  const copy = useCopy().lead;
  const entries = [
    ...lead.interactions.map((i) => ({
      at: i.at,
      what: labels.interaction(i.type, lang),
      details: interactionDetails(i, lang),
      points: i.points,
    })),
    ...lead.emails.map((e) => ({
      at: e.sentAt,
      what: copy.emailSent(templateName(e.templateId, lang)),
      details: emailStatus(e, lang),
      points: undefined,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{copy.timeline}</h2>
      {entries.length === 0 ? (
        <p class="muted">{copy.noTimeline}</p>
      ) : (
        <table id="timeline">
          <thead>
            <tr>
              <th scope="col">{copy.when}</th>
              <th scope="col">{copy.event}</th>
              <th scope="col">{copy.details}</th>
              <th scope="col" class="num">
                {copy.points}
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={index}>
                <td class="nowrap">{formatDateTime(entry.at, lang)}</td>
                <th scope="row">{entry.what}</th>
                <td>{entry.details}</td>
                <td class="num">{entry.points === undefined ? '' : `+${entry.points}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function emailStatus(email: LeadDetail['emails'][number], lang: Lang): string {
  if (email.clickedAt) return `${lang === 'de' ? 'Geklickt am' : 'Clicked on'} ${formatDateTime(email.clickedAt, lang)}`;
  if (email.openedAt) return `${lang === 'de' ? 'Geöffnet am' : 'Opened on'} ${formatDateTime(email.openedAt, lang)}`;
  return lang === 'de' ? 'Zugestellt, nicht geöffnet' : 'Delivered, not opened';
}

function interactionDetails(interaction: LeadDetail['interactions'][number], lang: Lang): string {
  const parts: string[] = [];
  if (interaction.assetId) parts.push(labels.asset(interaction.assetId, lang));
  if (interaction.externalId && interaction.type.startsWith('webinar')) parts.push(labels.webinar(interaction.externalId, lang));
  if (interaction.slot) parts.push(formatDateTime(interaction.slot, lang));
  if (interaction.channel === 'email') parts.push(lang === 'de' ? 'aus einer E-Mail' : 'from an email');
  else if (interaction.form) parts.push(`${lang === 'de' ? 'Formular' : 'Form'}: ${formLabel(interaction.form, lang)}`);
  const source = interaction.attribution?.utm_source;
  const campaign = interaction.attribution?.utm_campaign;
  if (source) parts.push(`${lang === 'de' ? 'Quelle' : 'Source'}: ${source}${campaign ? ` / ${campaign}` : ''}`);
  return parts.join(' · ');
}

function formLabel(form: string, lang: Lang): string {
  const names: Record<string, Record<Lang, string>> = {
    newsletter: { de: 'Newsletter', en: 'Newsletter' },
    download: { de: 'Download', en: 'Download' },
    contact: { de: 'Kontakt', en: 'Contact' },
  };
  return names[form]?.[lang] ?? form;
}

function Consent({ lead, lang }: { lead: LeadDetail; lang: Lang }) {
  const copy = useCopy().lead;
  const facts: [string, string | null | undefined][] = [
    [copy.consentState, labels.consent(lead.consent.marketing, lang)],
    [copy.consentRequestedAt, lead.consent.requestedAt && formatDateTime(lead.consent.requestedAt, lang)],
    [copy.optInSentAt, lead.consent.optInSentAt && formatDateTime(lead.consent.optInSentAt, lang)],
    [copy.consentConfirmedAt, lead.consent.confirmedAt && formatDateTime(lead.consent.confirmedAt, lang)],
    [copy.consentWithdrawnAt, lead.consent.withdrawnAt && formatDateTime(lead.consent.withdrawnAt, lang)],
  ];
  return (
    <section class="card" aria-labelledby="consent-heading">
      <h2 id="consent-heading">{copy.consent}</h2>
      <dl class="facts">
        {facts
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {lead.consent.evidence.length > 0 ? (
        <div class="table-wrap">
          <table id="consent-evidence">
            <caption>{copy.evidence}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.when}</th>
                <th scope="col">{copy.evidenceForm}</th>
                <th scope="col">{copy.evidenceText}</th>
                <th scope="col">{copy.evidenceIp}</th>
                <th scope="col">{copy.evidenceBrowser}</th>
              </tr>
            </thead>
            <tbody>
              {lead.consent.evidence.map((evidence, index) => (
                <tr key={index}>
                  <td>{formatDateTime(evidence.at, lang)}</td>
                  <td>{evidence.form ? formLabel(evidence.form, lang) : ''}</td>
                  <td>{evidence.textVersion ?? ''}</td>
                  <td>{evidence.ip ?? ''}</td>
                  <td class="small">{evidence.userAgent ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
