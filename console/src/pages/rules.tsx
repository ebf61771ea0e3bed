/**
 * The scoring rules as a table of points and thresholds, each editable; "preview change" runs the rescore dry run on
 * the server (nothing is saved) and shows how many leads it looked at and which would change.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FunnelStage, InteractionType, Lifecycle, Qualification } from '../../../shared/domain/lead';
import { ApiError, apiSend, useApi } from '../api';
import { formatNumber, type Lang, labels, useCopy, useLang } from '../i18n';
import { ErrorText, Loading, PageHeading } from '../ui';

type Rules = Record<string, unknown>;

const INTERACTION_RULES: Record<string, InteractionType> = {
  'engagement.consentConfirmedPoints': 'consent_confirmed',
  'engagement.newsletterSignupPoints': 'newsletter_signup',
  'engagement.webinarAttendedPoints': 'webinar_attended',
  'engagement.webinarRegisteredPoints': 'webinar_registered',
  'engagement.emailClickPoints': 'email_click',
  'engagement.emailOpenPoints': 'email_open',
  'engagement.contactPoints': 'contact',
  'engagement.trialStartedPoints': 'trial_started',
  'engagement.callRequestedPoints': 'call_requested',
};

const OTHER_RULES: Record<Lang, Record<string, string>> = {
  de: {
    'fit.businessEmailPoints': 'Geschäftliche E-Mail-Adresse',
    'fit.companyGivenPoints': 'Unternehmen angegeben',
    'engagement.downloadPoints.tofu': 'Download (ToFu)',
    'engagement.downloadPoints.mofu': 'Download (MoFu)',
    'engagement.downloadPoints.bofu': 'Download (BoFu)',
    'stages.qualifiedThreshold': 'Qualifiziert ab (Punkte)',
    'stages.mqlThreshold': 'MQL ab (Punkte)',
    'decay.decayDays': 'Engagement zählt (Tage)',
  },
  en: {
    'fit.businessEmailPoints': 'Business email address',
    'fit.companyGivenPoints': 'Company given',
    'engagement.downloadPoints.tofu': 'Download (ToFu)',
    'engagement.downloadPoints.mofu': 'Download (MoFu)',
    'engagement.downloadPoints.bofu': 'Download (BoFu)',
    'stages.qualifiedThreshold': 'Qualified from (points)',
    'stages.mqlThreshold': 'MQL from (points)',
    'decay.decayDays': 'Engagement counts for (days)',
  },
};

const SECTIONS: Record<Lang, Record<string, string>> = {
  de: { fit: 'Passung', engagement: 'Engagement', stages: 'Schwellen', decay: 'Verfall' },
  en: { fit: 'Fit', engagement: 'Engagement', stages: 'Thresholds', decay: 'Decay' },
};

function ruleLabel(path: string, lang: Lang): string {
  const interaction = INTERACTION_RULES[path];
  if (interaction) return labels.interaction(interaction, lang);
  return OTHER_RULES[lang][path] ?? path;
}

interface RuleRow {
  section: string;
  rule: string;
  value: unknown;
  description: string | null;
}

function valueAt(rules: Rules, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], rules);
}

function withValue(rules: Rules, path: string, value: number): Rules {
  const copy = structuredClone(rules);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return copy;
}

type Field = 'lifecycle' | 'qualification' | 'funnelStage';

/** POST /console/api/rules/preview (shared/console/rules-and-sequences.ts previewRules). */
interface PreviewResult {
  sample: { limit: number; leads: number; newestCreatedAt: string | null; oldestCreatedAt: string | null };
  leadsChanged: number;
  scoreChanged: number;
  changed: Record<Field, number>;
  transitions: Record<string, number>;
  examples: {
    email: string;
    changes: { field: Field; from: string | null; to: string | null }[];
    score: { before: number; after: number };
  }[];
}

export function RulesPage() {
  const copy = useCopy();
  const lang = useLang();
  const loaded = useApi<{ rules: Rules; rows: RuleRow[] }>('/rules');
  const original = loaded.data?.rules;
  const [draft, setDraft] = useState<Rules>();
  const [result, setResult] = useState<PreviewResult>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(original), [loaded.data]);

  const preview = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await apiSend<PreviewResult>('POST', '/rules/preview', { rules: draft }));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0));
    } finally {
      setBusy(false);
    }
  };

  // Numbers only: the freemail domain list stays as it is in the file.
  const rows = (loaded.data?.rows ?? []).filter((row) => typeof row.value === 'number');
  return (
    <>
      <PageHeading>{copy.rules.title}</PageHeading>
      <p>{copy.rules.intro}</p>
      <Loading when={loaded.loading && !loaded.data} />
      <ErrorText error={loaded.error} />
      {draft ? (
        <form onSubmit={preview} class="stack">
          <div class="table-wrap card">
            <table id="rules" class="middle">
              <thead>
                <tr>
                  <th scope="col">{copy.rules.section}</th>
                  <th scope="col">{copy.rules.rule}</th>
                  <th scope="col" class="num">
                    {copy.rules.points}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const path = `${row.section}.${row.rule}`;
                  const value = valueAt(draft, path) as number;
                  const id = `rule-${path.replace(/\./g, '-')}`;
                  const changed = row.value !== value;
                  return (
                    <tr key={path} class={changed ? 'changed' : undefined}>
                      <td>{SECTIONS[lang][row.section] ?? ''}</td>
                      <th scope="row">
                        <label for={id}>{ruleLabel(path, lang)}</label>
                        {/* The schema's descriptions are English; shown where the page is. */}
                        {row.description && lang === 'en' ? (
                          <span id={`${id}-help`} class="help">
                            {row.description}
                          </span>
                        ) : null}
                      </th>
                      <td class="num">
                        <input
                          id={id}
                          type="number"
                          min={0}
                          step={1}
                          required
                          value={value}
                          aria-describedby={row.description && lang === 'en' ? `${id}-help` : undefined}
                          onInput={(e) => {
                            const next = e.currentTarget.valueAsNumber;
                            if (Number.isInteger(next) && next >= 0) setDraft(withValue(draft, path, next));
                          }}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div class="toolbar">
            <button type="submit" disabled={busy}>
              {copy.rules.preview}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setDraft(original);
                setResult(undefined);
              }}
            >
              {copy.rules.reset}
            </button>
          </div>
        </form>
      ) : null}
      <ErrorText error={error} />
      <div aria-live="polite">
        {result ? <PreviewView result={result} lang={lang} /> : busy ? <p class="muted">{copy.loading}</p> : null}
      </div>
    </>
  );
}

function PreviewView({ result, lang }: { result: PreviewResult; lang: Lang }) {
  const copy = useCopy().rules;
  // The result appears below a long table: bring it into view, and to the keyboard, as soon as it is there.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [result]);
  const transitions = Object.entries(result.transitions).sort(([, a], [, b]) => b - a);
  return (
    <section class="card stack" aria-labelledby="preview-heading" id="rules-preview">
      <h2 id="preview-heading" ref={heading} tabIndex={-1}>
        {copy.result}
      </h2>
      <dl class="facts">
        <div>
          <dt>{copy.sample}</dt>
          <dd>{copy.sampleValue(formatNumber(result.sample.leads, lang), formatNumber(result.sample.limit, lang))}</dd>
        </div>
        <div>
          <dt>{copy.leadsChanged}</dt>
          <dd id="preview-leads-changed">{formatNumber(result.leadsChanged, lang)}</dd>
        </div>
        <div>
          <dt>{copy.scoreChanged}</dt>
          <dd>{formatNumber(result.scoreChanged, lang)}</dd>
        </div>
      </dl>
      {transitions.length === 0 ? (
        <p>{copy.noChanges}</p>
      ) : (
        <table>
          <caption>{copy.changes}</caption>
          <thead>
            <tr>
              <th scope="col">{copy.change}</th>
              <th scope="col" class="num">
                {copy.leads}
              </th>
            </tr>
          </thead>
          <tbody>
            {transitions.map(([key, count]) => {
              const [field, move] = key.split(':') as [Field, string];
              const [from, to] = move.split('>');
              return (
                <tr key={key}>
                  <th scope="row">{describeChange({ field, from: from!, to: to! }, lang)}</th>
                  <td class="num">{formatNumber(count, lang)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {result.examples.length > 0 ? (
        <table>
          <caption>{copy.examples}</caption>
          <thead>
            <tr>
              <th scope="col">E-Mail</th>
              <th scope="col" class="num">
                {copy.before}
              </th>
              <th scope="col" class="num">
                {copy.after}
              </th>
              <th scope="col">{copy.change}</th>
            </tr>
          </thead>
          <tbody>
            {result.examples.map((example) => (
              <tr key={example.email}>
                <th scope="row">{example.email}</th>
                <td class="num">{example.score.before}</td>
                <td class="num">{example.score.after}</td>
                <td>{example.changes.map((change) => describeChange(change, lang)).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const FIELD_LABELS: Record<Lang, Record<Field, string>> = {
  de: { lifecycle: 'Lebenszyklus', qualification: 'Qualifizierung', funnelStage: 'Phase' },
  en: { lifecycle: 'Lifecycle', qualification: 'Qualification', funnelStage: 'Stage' },
};

function describeChange(change: { field: Field; from: string | null; to: string | null }, lang: Lang): string {
  const from = stageValue(change.field, change.from, lang);
  const to = stageValue(change.field, change.to, lang);
  return `${FIELD_LABELS[lang][change.field]}: ${from} → ${to}`;
}

/** A stage value in words; "none" (or null) is no stage yet. */
function stageValue(field: Field, value: string | null, lang: Lang): string {
  if (value === null || value === 'none') return lang === 'de' ? 'keine' : 'none';
  if (field === 'lifecycle') return labels.lifecycle(value as Lifecycle, lang);
  if (field === 'qualification') return labels.qualification(value as Qualification, lang);
  return labels.stage(value as FunnelStage);
}
