import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sendMessages } from '../shared/adapters/sqs-client';
import {
  firstReceivedAt,
  onCampaignScheduled,
  planMessageSchema,
  planPage,
  startDueCampaigns,
  type PlannerDeps,
} from '../shared/campaigns/campaign-engine';
import { readEnv } from '../shared/config/read-env';
import { CampaignScheduled } from '../shared/events/campaign-events';
import { parseDetail } from '../shared/events/define-event';
import { logger } from '../shared/observability/logger';
import { observedHandler } from '../shared/observability/observed-handler';
import { dynamoCampaignEngineStore } from '../shared/storage/dynamo-campaign-engine-store';
import { dynamoCampaignStore } from '../shared/storage/dynamo-campaign-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['campaign-planner']);
const deps: PlannerDeps = {
  campaigns: dynamoCampaignStore(config.TABLE_NAME),
  engine: dynamoCampaignEngineStore(config.TABLE_NAME),
  queues: {
    enqueuePlans: async (messages) => {
      await sendMessages(
        config.CAMPAIGN_PLAN_QUEUE_URL,
        messages.map((message) => JSON.stringify(message)),
      );
    },
    enqueueSends: async (messages) => {
      await sendMessages(
        config.CAMPAIGN_SENDS_QUEUE_URL,
        messages.map((message) => JSON.stringify(message)),
      );
    },
  },
};

type PlannerEvent = SQSEvent | EventBridgeEvent<string, unknown>;

/**
 * Three triggers, one use case (shared/campaigns/campaign-engine.ts): `Campaign Scheduled` (start it, or remember it
 * until its time), the schedule (start what is due) and the plan queue (one page of one shard). "Now" is the event's
 * time, or for a plan message the moment SQS first handed it out.
 */
export const handler = observedHandler<PlannerEvent, SQSBatchResponse | unknown>().handler(async (event) => {
  if ('Records' in event) return planPages(event);
  const now = new Date(event.time).toISOString();
  if (event['detail-type'] === 'Scheduled Event') {
    const outcomes = await startDueCampaigns(deps, now);
    if (Object.keys(outcomes).length > 0) logger.info('campaign starts', { outcomes });
    return outcomes;
  }
  const detail = parseDetail(CampaignScheduled, event);
  // EventBridge stamps events to the second: the fact's own time (`at`, milliseconds) is not later than "now".
  const outcome = await onCampaignScheduled(deps, detail, [detail.at, now].sort().at(-1)!);
  logger.info('campaign scheduled', { campaignId: detail.campaignId, outcome });
  return outcome;
});

async function planPages(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = planMessageSchema.parse(JSON.parse(record.body));
      const outcome = await planPage(deps, message, firstReceivedAt(record.attributes));
      logger.info('campaign page planned', { campaignId: message.campaignId, shard: message.shard, page: message.page, ...outcome });
    } catch (error) {
      // Redelivered after the visibility timeout, to the dead-letter queue after maxReceiveCount.
      logger.error('campaign page failed', { messageId: record.messageId, error: error instanceof Error ? error.message : String(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
