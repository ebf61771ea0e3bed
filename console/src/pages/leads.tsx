/** The lead list: filter by lifecycle, funnel stage or one exact email; newest first; "load more" follows the cursor. */
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { FUNNEL_STAGES, LIFECYCLES } from '../../../shared/domain/lead';
import type { LeadListRow } from '../../../shared/console/console-store';
import { ApiError, apiJson } from '../api';
import { formatDateTime, labels, useCopy, useLang } from '../i18n';
import { ErrorText, PageHeading } from '../ui';

/** A list row as the API sends it: the same type the console API builds (shared/console/console-store.ts). */
export type LeadSummary = LeadListRow;

interface Filters {
  lifecycle: string;
  funnelStage: string;
  q: string;
}

const NO_FILTERS: Filters = { lifecycle: '', funnelStage: '', q: '' };
const PAGE_SIZE = 25;
/** Kept while the tab lives, so "back to the list" from a lead finds the same filters. */
let lastFilters: Filters = NO_FILTERS;

export function leadHref(email: string): string {
  return `/leads/${encodeURIComponent(email)}`;
}

export function LeadsPage() {
  const copy = useCopy();
  const lang = useLang();
  const [draft, setDraft] = useState<Filters>(lastFilters);
  const [filters, setFilters] = useState<Filters>(lastFilters);
  const [items, setItems] = useState<LeadSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();

  const load = async (from: string | null) => {
    setLoading(true);
    setError(undefined);
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (filters.lifecycle) query.set('lifecycle', filters.lifecycle);
    if (filters.funnelStage) query.set('funnelStage', filters.funnelStage);
    if (filters.q.trim()) query.set('q', filters.q.trim());
    if (from) query.set('cursor', from);
    try {
      const page = await apiJson<{ items: LeadSummary[]; cursor: string | null }>(`/leads?${query}`);
      setItems((current) => (from ? [...current, ...page.items] : page.items));
      setCursor(page.cursor);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    lastFilters = filters;
    void load(null);
  }, [filters]);

  return (
    <>
      <PageHeading>{copy.leads.title}</PageHeading>
      <form
        class="toolbar"
        aria-label={copy.leads.filters}
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...draft });
        }}
      >
        <label class="field">
          <span>{copy.leads.lifecycle}</span>
          <select name="lifecycle" value={draft.lifecycle} onChange={(e) => setDraft({ ...draft, lifecycle: e.currentTarget.value })}>
            <option value="">{copy.leads.any}</option>
            {LIFECYCLES.map((value) => (
              <option key={value} value={value}>
                {labels.lifecycle(value, lang)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{copy.leads.stage}</span>
          <select name="funnelStage" value={draft.funnelStage} onChange={(e) => setDraft({ ...draft, funnelStage: e.currentTarget.value })}>
            <option value="">{copy.leads.any}</option>
            {FUNNEL_STAGES.map((value) => (
              <option key={value} value={value}>
                {labels.stage(value)}
              </option>
            ))}
          </select>
        </label>
        <label class="field grow">
          <span>{copy.leads.search}</span>
          <input type="search" name="q" value={draft.q} onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} />
        </label>
        <button type="submit">{copy.leads.apply}</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            setFilters(NO_FILTERS);
          }}
        >
          {copy.leads.reset}
        </button>
      </form>
      <ErrorText error={error} />
      <p class="muted" role="status" aria-live="polite">
        {loading ? copy.loading : items.length === 0 ? copy.leads.none : copy.leads.count(items.length)}
      </p>
      {items.length > 0 ? (
        <div class="table-wrap">
          <table id="lead-list">
            <thead>
              <tr>
                <th scope="col">{copy.leads.email}</th>
                <th scope="col">{copy.leads.name}</th>
                <th scope="col">{copy.leads.company}</th>
                <th scope="col">{copy.leads.lifecycle}</th>
                <th scope="col">{copy.leads.stage}</th>
                <th scope="col" class="num">
                  {copy.leads.score}
                </th>
                <th scope="col">{copy.leads.created}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((lead) => (
                <tr key={lead.email} data-email={lead.email}>
                  <th scope="row">
                    <Link href={leadHref(lead.email)}>{lead.email}</Link>
                  </th>
                  <td>{[lead.firstName, lead.lastName].filter(Boolean).join(' ')}</td>
                  <td>{lead.company ?? ''}</td>
                  <td>
                    <span class={`badge badge-${lead.lifecycle}`}>{labels.lifecycle(lead.lifecycle, lang)}</span>
                    {lead.pql ? <span class="badge badge-pql">PQL</span> : null}
                  </td>
                  <td>{labels.stage(lead.funnelStage)}</td>
                  <td class="num">{lead.score}</td>
                  <td class="nowrap">{formatDateTime(lead.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <button type="button" class="secondary" disabled={loading} onClick={() => void load(cursor)}>
          {copy.leads.more}
        </button>
      ) : null}
    </>
  );
}
