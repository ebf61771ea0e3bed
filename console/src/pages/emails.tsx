/**
 * Every email template, rendered with sample data in DE or EN, with its figures and a test send to the signed-in
 * user's own address. The preview needs the bearer token, so the HTML is fetched and shown through srcdoc in an
 * iframe with an empty sandbox: no scripts, no forms, no navigation, an opaque origin.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, apiFetch, apiSend, useApi } from '../api';
import type { Me } from '../access';
import { formatDate, formatNumber, formatPercent, type Lang, templateName, useCopy, useLang } from '../i18n';
import { ErrorText, Loading, PageHeading } from '../ui';

const STAT_KEYS = ['sent', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed'] as const;
type StatKey = (typeof STAT_KEYS)[number];

/** GET /console/api/templates: every template, its subjects with sample data, and how its mail did in the last 30 days. */
interface Template {
  id: string;
  kind: 'system' | 'marketing' | 'sales';
  locales: Lang[];
  subject: Partial<Record<Lang, string>>;
  performance: Record<StatKey, number>;
}

export function EmailsPage({ me }: { me: Me }) {
  const copy = useCopy();
  const lang = useLang();
  const list = useApi<{ range: { from: string; to: string }; templates: Template[] }>('/templates');
  const templates = list.data?.templates ?? [];
  return (
    <>
      <PageHeading>{copy.emails.title}</PageHeading>
      <Loading when={list.loading && !list.data} />
      <ErrorText error={list.error} />
      {list.data && templates.length === 0 ? <p class="muted">{copy.emails.none}</p> : null}
      {list.data ? (
        <p class="muted">{copy.emails.rangeNote(formatDate(list.data.range.from, lang), formatDate(list.data.range.to, lang))}</p>
      ) : null}
      <div class="gallery">
        {templates.map((template) => (
          <TemplateCard key={template.id} template={template} me={me} />
        ))}
      </div>
    </>
  );
}

function TemplateCard({ template, me }: { template: Template; me: Me }) {
  const copy = useCopy();
  const lang = useLang();
  const [locale, setLocale] = useState<Lang>(lang);
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState('');
  const name = templateName(template.id, lang);
  const kind = copy.emails.kinds[template.kind];
  const headingId = `template-${template.id}`;

  useEffect(() => {
    let current = true;
    setHtml(undefined);
    setError(undefined);
    apiFetch(`/templates/${encodeURIComponent(template.id)}/preview?locale=${locale}`)
      .then((response) => response.text())
      .then(
        (text) => current && setHtml(text),
        (caught: unknown) => current && setError(caught instanceof ApiError ? caught : new ApiError(0)),
      );
    return () => {
      current = false;
    };
  }, [template.id, locale]);

  const testSend = async () => {
    setStatus('');
    setError(undefined);
    try {
      await apiSend('POST', `/templates/${encodeURIComponent(template.id)}/test-send`, { to: me.email, locale });
      setStatus(copy.emails.testSent(me.email));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0));
    }
  };

  const stats = template.performance;
  const sent = stats.sent ?? 0;
  return (
    <article class="card template" aria-labelledby={headingId} data-template={template.id}>
      <h2 id={headingId}>{name}</h2>
      <p class="muted small">{kind}</p>
      <fieldset class="segmented">
        <legend class="visually-hidden">{copy.language}</legend>
        {(['de', 'en'] as const).map((value) => (
          <button key={value} type="button" class="secondary" aria-pressed={locale === value} onClick={() => setLocale(value)}>
            {value === 'de' ? copy.emails.german : copy.emails.english}
          </button>
        ))}
      </fieldset>
      <p class="subject">
        <strong>{copy.emails.subject}:</strong> {template.subject[locale] ?? ''}
      </p>
      {html !== undefined ? (
        <iframe
          class="preview"
          sandbox=""
          srcdoc={html}
          title={copy.emails.preview(name, locale === 'de' ? copy.emails.german : copy.emails.english)}
        />
      ) : (
        <div class="preview placeholder">
          <Loading when={!error} />
        </div>
      )}
      <h3>{copy.emails.performance}</h3>
      <dl class="stats">
        {STAT_KEYS.map((key) => (
          <div key={key}>
            <dt>{copy.emails[key]}</dt>
            <dd>
              {formatNumber(stats[key] ?? 0, lang)}
              {key !== 'sent' && sent > 0 ? <span class="muted small"> ({formatPercent((stats[key] ?? 0) / sent, lang)})</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" class="secondary" onClick={() => void testSend()}>
        {copy.emails.testSend}
      </button>
      <ErrorText error={error} />
      <p role="status" aria-live="polite" class="muted">
        {status}
      </p>
    </article>
  );
}
