import type { EventDeclaration, DetailOf } from '../events/define-event';
import { epochSeconds, keys, OUTBOX_ATTRIBUTE, type OutboxEntry } from './table-design';

/** Outbox items only need to live until the stream relay has published them. */
const OUTBOX_RETENTION_SECONDS = 7 * 86_400;

/**
 * An item whose insertion publishes one declared event through the stream relay. Written in the
 * same transaction as the state change it reports, so the event exists if and only if the change does.
 */
export function outboxEventItem<E extends EventDeclaration>(
  tableName: string,
  leadId: string,
  eventKey: string,
  declaration: E,
  detail: DetailOf<E>,
  time: string,
) {
  return outboxPut(tableName, keys.outboxEvent(leadId, eventKey), declaration, detail, time);
}

/** The same at any key (a campaign's events live in the campaign's partition): the key names the fact it reports. */
export function outboxPut<E extends EventDeclaration>(
  tableName: string,
  key: { pk: string; sk: string },
  declaration: E,
  detail: DetailOf<E>,
  time: string,
) {
  const entry: OutboxEntry = {
    source: declaration.source,
    detailType: declaration.detailType,
    detail: JSON.stringify(declaration.schema.parse(detail)),
    time,
  };
  return {
    Put: {
      TableName: tableName,
      Item: { ...key, [OUTBOX_ATTRIBUTE]: entry, expiresAt: epochSeconds(time) + OUTBOX_RETENTION_SECONDS },
      // The key names the fact, so the same fact can never be published twice.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
