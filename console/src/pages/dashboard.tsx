/** The funnel at a glance for a date range: stage counts, conversion, MQLs per week and where MQLs come from. */
import { useEffect, useState } from 'preact/hooks';
import { FUNNEL_STAGES, LIFECYCLES, type FunnelStage, type Lifecycle } from '../../../shared/domain/lead';
import { useApi } from '../api';
import { formatDate, formatNumber, formatPercent, labels, type Lang, useCopy, useLang } from '../i18n';
import { CHART_COLOURS, ChartCanvas, ErrorText, Loading, PageHeading } from '../ui';

interface Rate {
  numerator: number;
  denominator: number;
  rate: number | null;
}

/** GET /console/api/funnel (shared/reporting/funnel-read-model.ts FunnelView, plus the range it covers). */
export interface FunnelReport {
  range: { from: string; to: string };
  /** stages now, over all leads; the range only limits daily and sources */
  lifecycle: Record<Lifecycle, number>;
  funnelStage: Partial<Record<FunnelStage | 'none', number>>;
  conversion: { warmToMql: Rate; mqlToSql: Rate; qualifiedShare: Rate };
  daily: { date: string; created: number; mql: number; sql: number }[];
  sources: { utm_source: string; leads: number; mql: number }[];
}

const DAY_MS = 86_400_000;

export function DashboardPage() {
  const copy = useCopy();
  const lang = useLang();
  // First the server's default (the last 30 days by the stack's own clock, which locally may run ahead), then the form's.
  const [range, setRange] = useState<{ from: string; to: string }>();
  const [draft, setDraft] = useState<{ from: string; to: string }>();
  const report = useApi<FunnelReport>(range ? `/funnel?from=${range.from}&to=${range.to}` : '/funnel');
  const data = report.data;
  useEffect(() => {
    if (data && !draft) setDraft(data.range);
  }, [data]);

  return (
    <>
      <PageHeading>{copy.dashboard.title}</PageHeading>
      {draft ? (
        <form
          class="toolbar"
          aria-label={copy.dashboard.range}
          onSubmit={(event) => {
            event.preventDefault();
            setRange(draft);
          }}
        >
          <label class="field">
            <span>{copy.dashboard.from}</span>
            <input
              id="range-from"
              type="date"
              required
              value={draft.from}
              max={draft.to}
              onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            />
          </label>
          <label class="field">
            <span>{copy.dashboard.to}</span>
            <input
              id="range-to"
              type="date"
              required
              value={draft.to}
              min={draft.from}
              onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            />
          </label>
          <button type="submit">{copy.dashboard.apply}</button>
        </form>
      ) : null}
      <Loading when={report.loading && !data} />
      <ErrorText error={report.error} />
      {data ? <Report data={data} lang={lang} /> : null}
    </>
  );
}

function Report({ data, lang }: { data: FunnelReport; lang: Lang }) {
  const copy = useCopy();
  const created = data.daily.reduce((sum, day) => sum + day.created, 0);
  const mqls = data.daily.reduce((sum, day) => sum + day.mql, 0);
  const sqls = data.daily.reduce((sum, day) => sum + day.sql, 0);
  const weeks = mqlsPerWeek(data.daily);
  const weekSummary = weeks.map((w) => `${copy.dashboard.weekOf(formatDate(w.week, lang))} ${w.mql}`).join(', ');
  const lifecycleLabels = LIFECYCLES.map((value) => labels.lifecycle(value, lang));
  return (
    <div class="stack">
      <section aria-label={copy.dashboard.title} class="kpis">
        <Kpi id="kpi-created" label={copy.dashboard.kpiCreated} value={formatNumber(created, lang)} />
        <Kpi id="kpi-mql" label={copy.dashboard.kpiMql} value={formatNumber(mqls, lang)} />
        <Kpi id="kpi-sql" label={copy.dashboard.kpiSql} value={formatNumber(sqls, lang)} />
      </section>

      <div class="grid-2">
        <section class="card" aria-labelledby="funnel-heading">
          <h2 id="funnel-heading">{copy.dashboard.funnel}</h2>
          <ChartCanvas
            label={`${copy.dashboard.funnel}: ${LIFECYCLES.map((l, i) => `${lifecycleLabels[i]} ${data.lifecycle[l] ?? 0}`).join(', ')}`}
            config={{
              type: 'bar',
              data: {
                labels: lifecycleLabels,
                datasets: [
                  { label: copy.dashboard.count, data: LIFECYCLES.map((l) => data.lifecycle[l] ?? 0), backgroundColor: CHART_COLOURS },
                ],
              },
              options: {
                indexAxis: 'y',
                plugins: { legend: { display: false } },
                scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
              },
            }}
          />
          <table>
            <caption class="visually-hidden">{copy.dashboard.funnel}</caption>
            <thead>
              <tr>
                {LIFECYCLES.map((l, i) => (
                  <th key={l} scope="col" class="num">
                    {lifecycleLabels[i]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {LIFECYCLES.map((l) => (
                  <td key={l} class="num" data-lifecycle={l}>
                    {formatNumber(data.lifecycle[l] ?? 0, lang)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <h3>{copy.dashboard.stages}</h3>
          <dl class="inline-list">
            {[...FUNNEL_STAGES, 'none' as const].map((stage) => (
              <div key={stage}>
                <dt>{stage === 'none' ? copy.dashboard.noStage : labels.stage(stage)}</dt>
                <dd>{formatNumber(data.funnelStage[stage] ?? 0, lang)}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section class="card" aria-labelledby="conversion-heading">
          <h2 id="conversion-heading">{copy.dashboard.conversion}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{copy.dashboard.step}</th>
                <th scope="col" class="num">
                  {copy.dashboard.conversionRate}
                </th>
                <th scope="col" class="num">
                  {copy.dashboard.ofTotal}
                </th>
              </tr>
            </thead>
            <tbody>
              {(['warmToMql', 'mqlToSql', 'qualifiedShare'] as const).map((key) => {
                const value = data.conversion[key];
                return (
                  <tr key={key}>
                    <th scope="row">{conversionLabel(key, lang)}</th>
                    <td class="num">{value.rate === null ? '–' : formatPercent(value.rate, lang)}</td>
                    <td class="num">{copy.dashboard.outOf(formatNumber(value.numerator, lang), formatNumber(value.denominator, lang))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="muted">{copy.dashboard.nowNote}</p>
        </section>
      </div>

      <section class="card" aria-labelledby="weekly-heading">
        <h2 id="weekly-heading">{copy.dashboard.mqlPerWeek}</h2>
        {weeks.length === 0 ? (
          <p class="muted">{copy.dashboard.noData}</p>
        ) : (
          <ChartCanvas
            height={200}
            label={`${copy.dashboard.mqlPerWeek}: ${weekSummary}`}
            config={{
              type: 'bar',
              data: {
                labels: weeks.map((w) => formatDate(w.week, lang)),
                datasets: [{ label: copy.dashboard.kpiMql, data: weeks.map((w) => w.mql), backgroundColor: CHART_COLOURS[1] }],
              },
              options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
          />
        )}
      </section>

      <section class="card" aria-labelledby="sources-heading">
        <h2 id="sources-heading">{copy.dashboard.sources}</h2>
        {data.sources.length === 0 ? (
          <p class="muted">{copy.dashboard.noData}</p>
        ) : (
          <table id="sources">
            <thead>
              <tr>
                <th scope="col">{copy.dashboard.source}</th>
                <th scope="col" class="num">
                  {copy.dashboard.leads}
                </th>
                <th scope="col" class="num">
                  {copy.dashboard.mqls}
                </th>
                <th scope="col" class="num">
                  {copy.dashboard.rate}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.sources.map((source) => (
                <tr key={source.utm_source}>
                  <th scope="row">{sourceLabel(source.utm_source, copy.dashboard)}</th>
                  <td class="num">{formatNumber(source.leads, lang)}</td>
                  <td class="num">{formatNumber(source.mql, lang)}</td>
                  <td class="num">{source.leads ? formatPercent(source.mql / source.leads, lang) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function Kpi({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="kpi card">
      <span class="kpi-label">{label}</span>
      <span class="kpi-value" id={id}>
        {value}
      </span>
    </div>
  );
}

/** Daily rows summed into weeks starting on Monday, oldest first. */
function mqlsPerWeek(daily: FunnelReport['daily']): { week: string; mql: number }[] {
  const weeks = new Map<string, number>();
  for (const day of daily) {
    const date = new Date(`${day.date}T00:00:00Z`);
    const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
    weeks.set(monday, (weeks.get(monday) ?? 0) + day.mql);
  }
  return [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, mql]) => ({ week, mql }));
}

function conversionLabel(key: 'warmToMql' | 'mqlToSql' | 'qualifiedShare', lang: Lang): string {
  if (key === 'warmToMql') return `${labels.lifecycle('warm', lang)} → MQL`;
  if (key === 'mqlToSql') return 'MQL → SQL';
  return lang === 'de' ? 'Anteil qualifizierter Leads' : 'Share of qualified leads';
}

/** The projection's placeholders in words: "(none)" is a first touch without utm_source, "(other)" the long tail. */
function sourceLabel(source: string, copy: { direct: string; otherSources: string }): string {
  if (source === '(none)') return copy.direct;
  if (source === '(other)') return copy.otherSources;
  return source;
}
