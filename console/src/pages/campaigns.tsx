/** The newsletter campaigns with the figures `npx leadpipe campaign status` shows (issue 16). */
import { CAMPAIGN_COUNTERS } from '../../../shared/campaigns/campaign-figures';
import { CAMPAIGN_LIST_LIMIT, type CampaignRow } from '../../../shared/console/campaign-overview';
import { useApi } from '../api';
import { formatDateTime, formatNumber, useCopy, useLang } from '../i18n';
import { ErrorText, Loading, PageHeading } from '../ui';

/** GET /console/api/campaigns */
interface Campaigns {
  items: CampaignRow[];
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
          <p class="muted">{copy.campaigns.intro(CAMPAIGN_LIST_LIMIT)}</p>
          <div class="table-wrap">
            <table class="figures">
              <thead>
                <tr>
                  <th scope="col">{copy.campaigns.campaign}</th>
                  <th scope="col" class="nowrap">
                    {copy.campaigns.status} / {copy.campaigns.sendAt}
                  </th>
                  {CAMPAIGN_COUNTERS.map((key) => (
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
                    {CAMPAIGN_COUNTERS.map((key) => (
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
