/** The actions on a lead, as the user's groups allow: decide (sales, admin), export (marketing, admin), erase (admin). */
import { useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { RECYCLE_REASONS, type RecycleReason } from '../../../shared/domain/sales-decision';
import { ApiError, apiFetch, apiSend } from '../api';
import { can, type Me } from '../access';
import { formatDateTime, labels, useCopy, useLang } from '../i18n';
import { ErrorText } from '../ui';
import type { LeadDetail } from './lead';

export function Actions({ me, lead, reload }: { me: Me; lead: LeadDetail; reload: () => void }) {
  const copy = useCopy().lead;
  const lang = useLang();
  const [, navigate] = useLocation();
  const [reason, setReason] = useState<RecycleReason | ''>('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [confirmErase, setConfirmErase] = useState(false);
  // The console answers an undecided MQL, as the sales mail's links do (a PQL is decided from its own mail).
  const open = lead.lifecycle === 'mql';
  const path = `/leads/${encodeURIComponent(lead.email)}`;

  const run = async (action: () => Promise<void>, done: string) => {
    setBusy(true);
    setError(undefined);
    setStatus('');
    try {
      await action();
      setStatus(done);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0));
    } finally {
      setBusy(false);
    }
  };
  const decide = (decision: 'accept' | 'recycle') =>
    run(async () => {
      await apiSend('POST', `${path}/decision`, decision === 'accept' ? { decision } : { decision, reason });
      reload();
    }, copy.saved);
  const exportData = () =>
    run(async () => {
      const blob = await (await apiFetch(`${path}/export`)).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `lead-${lead.email}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    }, '');
  const erase = () =>
    run(async () => {
      await apiSend('DELETE', path);
      navigate('/leads');
    }, copy.erased);

  const decision = lead.salesDecision;
  return (
    <section class="card stack" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{copy.actions}</h2>
      {can(me, 'sales', 'admin') ? (
        <div class="stack" id="decision">
          <h3>{copy.decision}</h3>
          {decision ? (
            <p>
              {decision.decision === 'accepted'
                ? copy.accepted(decision.by, formatDateTime(decision.at, lang))
                : copy.recycled(decision.by, formatDateTime(decision.at, lang), labels.recycleReason(decision.reason ?? 'other', lang))}
            </p>
          ) : null}
          {open ? (
            <>
              <button type="button" id="accept" disabled={busy} onClick={() => void decide('accept')}>
                {copy.accept}
              </button>
              <form
                class="toolbar"
                onSubmit={(event) => {
                  event.preventDefault();
                  void decide('recycle');
                }}
              >
                <label class="field">
                  <span>{copy.reasonLabel}</span>
                  <select required value={reason} onChange={(e) => setReason(e.currentTarget.value as RecycleReason)}>
                    <option value="">{copy.chooseReason}</option>
                    {RECYCLE_REASONS.map((value) => (
                      <option key={value} value={value}>
                        {labels.recycleReason(value, lang)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" class="secondary" disabled={busy}>
                  {copy.recycle}
                </button>
              </form>
            </>
          ) : decision ? null : (
            <p class="muted">{copy.notMql}</p>
          )}
        </div>
      ) : null}
      {can(me, 'marketing', 'admin') ? (
        <button type="button" class="secondary" disabled={busy} onClick={() => void exportData()}>
          {copy.export}
        </button>
      ) : null}
      {can(me, 'admin') ? (
        confirmErase ? (
          <fieldset class="danger-zone">
            <legend>{copy.erase}</legend>
            <p>{copy.eraseConfirm(lead.email)}</p>
            <button type="button" class="danger" disabled={busy} onClick={() => void erase()}>
              {copy.erase}
            </button>{' '}
            <button type="button" class="secondary" onClick={() => setConfirmErase(false)}>
              {lang === 'de' ? 'Abbrechen' : 'Cancel'}
            </button>
          </fieldset>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirmErase(true)}>
            {copy.erase}
          </button>
        )
      ) : null}
      <ErrorText error={error} />
      <p role="status" aria-live="polite" class="muted">
        {status}
      </p>
    </section>
  );
}
