/** The newsletter campaigns with the figures `npx leadpipe campaign status` shows (issue 16). */
import type { CampaignCounter, CampaignStatus } from '../../../shared/campaigns/campaign';
import { useApi } from '../api';
import { formatDateTime, formatNumber, useCopy, useLang } from '../i18n';
import { ErrorText, Loading, PageHeading } from '../ui';

/** In the order `campaign status` prints them. */
const FIGURES: readonly CampaignCounter[] = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed'];
/** What the API reads at most (shared/console/campaign-overview.ts CAMPAIGN_LIST_LIMIT). */
const LIST_LIMIT = 50;

/** GET /console/api/campaigns (shared/console/campaign-overview.ts listCampaignRows). */
interface Campaigns {
  items: {
    id: string;
    name: string;
    status: CampaignStatus;
    sendAt: string;
    startedAt?: string;
    finishedAt?: string;
    cancelledAt?: string;
    counts: Record<CampaignCounter, number>;
  }[];
}

export function CampaignsPage() {
  const copy = useCopy();
  const lang = useLang();
  const result = useApi<Campaigns>('/campaigns');
  const data = result.data;
  return (
    <>
      <PageHeading>{copy.campaigns.title}</PageHeading>
      <Loading when={result.loading && !data} />
      <ErrorText error={result.error} />
      {data && data.items.length === 0 ? (
        <p class="muted">
          {copy.campaigns.emptyBefore} <code>{copy.campaigns.emptyCommand}</code> {copy.campaigns.emptyAfter}
        </p>
      ) : null}
      {data && data.items.length > 0 ? (
        <div class="stack">
          <p class="muted">{copy.campaigns.intro(LIST_LIMIT)}</p>
          <div class="table-wrap">
            <table class="figures">
              <thead>
                <tr>
                  <th scope="col">{copy.campaigns.campaign}</th>
                  <th scope="col" class="nowrap">
                    {copy.campaigns.status} / {copy.campaigns.sendAt}
                  </th>
                  {FIGURES.map((key) => (
                    <th scope="col" class="num" key={key}>
                      {copy.campaigns.counts[key]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.items.map((campaign) => (
                  <tr key={campaign.id} data-campaign={campaign.id}>
                    <th scope="row">
                      {campaign.name}
                      <div class="muted small">{campaign.id}</div>
                    </th>
                    <td>
                      {copy.campaigns.statuses[campaign.status]}
                      <div class="muted small nowrap">{formatDateTime(campaign.sendAt, lang)}</div>
                    </td>
                    {FIGURES.map((key) => (
                      <td class="num" key={key} data-figure={key}>
                        {formatNumber(campaign.counts[key], lang)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </>
  );
}
