/** The nurture tracks: each step's delay, email and offer, with how that email did in the last 30 days. */
import type { FunnelStage } from '../../../shared/domain/lead';
import { useApi } from '../api';
import { formatDate, formatNumber, formatPercent, type Lang, labels, offerLabel, templateName, useCopy, useLang } from '../i18n';
import { ErrorText, Loading, PageHeading } from '../ui';

const FIGURES = ['sent', 'opened', 'clicked', 'unsubscribed'] as const;

/** GET /console/api/sequences (shared/console/rules-and-sequences.ts nurtureSequences). */
interface Sequences {
  range: { from: string; to: string };
  frequencyCapHours: number;
  recycleCoolOffDays: number;
  tracks: {
    stage: FunnelStage;
    steps: {
      step: number;
      delayDays: number;
      templateId: string;
      offer: { ref: string; kind: string | null; title: Partial<Record<Lang, string>> | null };
      performance: Record<(typeof FIGURES)[number], number>;
    }[];
  }[];
}

export function SequencesPage() {
  const copy = useCopy();
  const lang = useLang();
  const result = useApi<Sequences>('/sequences');
  const data = result.data;
  return (
    <>
      <PageHeading>{copy.sequences.title}</PageHeading>
      <Loading when={result.loading && !data} />
      <ErrorText error={result.error} />
      {data ? (
        <div class="stack">
          <p class="muted">{copy.sequences.intro(formatDate(data.range.from, lang), formatDate(data.range.to, lang))}</p>
          {data.tracks.map(({ stage, steps }) => (
            <section class="card" key={stage} aria-labelledby={`track-${stage}`}>
              <h2 id={`track-${stage}`}>{copy.sequences.track(labels.stage(stage))}</h2>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{copy.sequences.step}</th>
                      <th scope="col">{copy.sequences.day}</th>
                      <th scope="col">{copy.sequences.template}</th>
                      <th scope="col">{copy.sequences.offer}</th>
                      {FIGURES.map((key) => (
                        <th scope="col" class="num" key={key}>
                          {copy.emails[key]}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {steps.map((step) => (
                      <tr key={step.step}>
                        <th scope="row">{step.step}</th>
                        <td class="nowrap">{copy.sequences.dayValue(step.delayDays)}</td>
                        <td>{templateName(step.templateId, lang)}</td>
                        <td>{step.offer.title?.[lang] ?? offerLabel(step.offer.ref, lang)}</td>
                        {FIGURES.map((key) => (
                          <td class="num" key={key}>
                            {formatNumber(step.performance[key], lang)}
                            {key !== 'sent' && step.performance.sent > 0 ? (
                              <span class="muted small"> ({formatPercent(step.performance[key] / step.performance.sent, lang)})</span>
                            ) : null}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
          <section class="card" aria-labelledby="sequence-settings">
            <h2 id="sequence-settings">{copy.sequences.settings}</h2>
            <dl class="facts">
              <div>
                <dt>{copy.sequences.frequencyCap}</dt>
                <dd>{copy.sequences.hours(data.frequencyCapHours)}</dd>
              </div>
              <div>
                <dt>{copy.sequences.recycleCoolOff}</dt>
                <dd>{copy.sequences.days(data.recycleCoolOffDays)}</dd>
              </div>
            </dl>
          </section>
        </div>
      ) : null}
    </>
  );
}
