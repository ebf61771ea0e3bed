import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Booking, BookingStore, ChangeBookingResult, NewBooking, RecordBookingResult } from '../booking/booking-store';
import { CallBookingChanged } from '../events/booking-events';
import { RetriesExhaustedError, withRetry } from '../retry/with-retry';
import { bookingKeys, CALL_SLOTS_PARTITION } from './booking-keys';
import { documentClient } from './dynamodb-client';
import { dynamoSentEmailStore } from './dynamo-sent-email-store';
import { getLead } from './lead-store';
import { outboxEventItem } from './outbox-event-item';
import { recordSubmission } from './record-submission';
import { parseInteraction } from './stored-items';
import { epochSeconds, keys } from './table-design';
import { cancellationCodes, isTransactionConflict } from './transaction-errors';
import { writeIf } from './write-if';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A slot item is only needed until the call is over; a month later it expires (TTL), the booking stays with the lead. */
const SLOT_RETENTION_SECONDS = 30 * 86_400;
/** A confirmation-mail claim only has to outlive EventBridge's redelivery window (24 h). */
const MAIL_CLAIM_RETENTION_SECONDS = 7 * 86_400;

function slotPut(tableName: string, booking: Booking, slot: string, at: string): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...bookingKeys.slot(slot),
        slot,
        leadId: booking.leadId,
        bookingId: booking.bookingId,
        heldSince: at,
        expiresAt: epochSeconds(slot) + SLOT_RETENTION_SECONDS,
      },
      // The one guarantee of booking: a slot has at most one holder, whoever writes first.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function slotDelete(tableName: string, booking: Booking, slot: string): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: bookingKeys.slot(slot),
      // Only this booking's hold is given up; an item that already expired is no obstacle.
      ConditionExpression: 'attribute_not_exists(pk) OR bookingId = :bookingId',
      ExpressionAttributeValues: { ':bookingId': booking.bookingId },
    },
  };
}

function bookingItem(booking: Booking) {
  return { ...bookingKeys.booking(booking.leadId, booking.bookingId), ...booking };
}

/** The booking store in the lead table. */
export function dynamoBookingStore(tableName: string): BookingStore {
  const slotHolder = async (slot: string) => {
    const result = await documentClient.send(new GetCommand({ TableName: tableName, Key: bookingKeys.slot(slot), ConsistentRead: true }));
    const item = result.Item;
    return item ? { leadId: String(item.leadId), bookingId: String(item.bookingId) } : undefined;
  };

  return {
    ...dynamoSentEmailStore(tableName),
    getLead: (leadId) => getLead(tableName, leadId),
    slotHolder,

    async takenSlots(from, to) {
      const taken = new Set<string>();
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': CALL_SLOTS_PARTITION,
              ':from': `${bookingKeys.slotPrefix}${from}`,
              ':to': `${bookingKeys.slotPrefix}${to}`,
            },
            ProjectionExpression: 'sk',
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        for (const item of page.Items ?? []) taken.add(String(item.sk).slice(bookingKeys.slotPrefix.length));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return taken;
    },

    async getBooking(leadId, bookingId) {
      const result = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: bookingKeys.booking(leadId, bookingId), ConsistentRead: true }),
      );
      if (!result.Item) return undefined;
      const { pk: _pk, sk: _sk, ...booking } = result.Item;
      return booking as Booking;
    },

    async recordBooking(record: NewBooking): Promise<RecordBookingResult> {
      const { booking, identity } = record;
      const claims = [
        ...(booking.slot
          ? [{ name: 'slot', item: slotPut(tableName, booking, booking.slot, booking.createdAt), retryAfterSeconds: 0 }]
          : []),
        {
          name: 'booking',
          item: {
            Put: { TableName: tableName, Item: bookingItem(booking), ConditionExpression: 'attribute_not_exists(pk)' },
          } satisfies TransactItem,
          retryAfterSeconds: 0,
        },
      ];
      try {
        // The capture path's one transaction (double-click guard, lead upsert, suppression lifted, interaction + outbox),
        // with the slot and the booking as its conditional claims.
        const result = await recordSubmission(tableName, {
          leadId: identity.leadId,
          email: identity.email,
          profile: identity.profile,
          interaction: record.interaction,
          fingerprint: record.fingerprint,
          duplicateWindowSeconds: record.duplicateWindowSeconds,
          claims,
        });
        if (result.stored) return 'booked';
        return result.reason === 'duplicate' ? 'duplicate' : 'slot-taken';
      } catch (error) {
        // Many leads racing for one slot can keep conflicting past the retries; by then one of them holds it.
        const conflict = error instanceof RetriesExhaustedError ? isTransactionConflict(error.cause) : isTransactionConflict(error);
        if (conflict && booking.slot && (await slotHolder(booking.slot))) return 'slot-taken';
        throw error;
      }
    },

    async changeBooking(change): Promise<ChangeBookingResult> {
      const { booking, at } = change;
      const next = booking.sequence + 1;
      const from = booking.slot;
      if (!from) throw new Error(`booking ${booking.bookingId} holds no slot to change`);
      const to = change.change === 'moved' ? change.to : undefined;
      if (change.change === 'moved' && !to) throw new Error('a move needs the new slot');
      const status = change.change === 'cancelled' ? 'cancelled' : 'booked';
      const items: TransactItem[] = [
        ...(to ? [slotPut(tableName, booking, to, at)] : []),
        slotDelete(tableName, booking, from),
        {
          Update: {
            TableName: tableName,
            Key: bookingKeys.booking(booking.leadId, booking.bookingId),
            UpdateExpression: 'SET #status = :status, #sequence = :next, updatedAt = :at, #slot = :slot',
            // Read, decide, write: a second change based on the same read loses instead of freeing a slot twice.
            ConditionExpression: '#sequence = :sequence AND #status = :booked',
            ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence', '#slot': 'slot' },
            ExpressionAttributeValues: {
              ':status': status,
              ':next': next,
              ':at': at,
              ':slot': to ?? from,
              ':sequence': booking.sequence,
              ':booked': 'booked',
            },
          },
        },
        outboxEventItem(
          tableName,
          booking.leadId,
          `call#${booking.bookingId}#${next}`,
          CallBookingChanged,
          { leadId: booking.leadId, bookingId: booking.bookingId, change: change.change, sequence: next, slot: to ?? from, at },
          at,
        ),
      ];
      try {
        await withRetry(
          { what: `change booking ${booking.bookingId}`, attempts: 4, retryOn: isTransactionConflict, baseDelayMs: 20, maxDelayMs: 200 },
          () => documentClient.send(new TransactWriteCommand({ TransactItems: items })),
        );
        return 'changed';
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (to && codes[0] === 'ConditionalCheckFailed') return 'slot-taken';
        if (codes.includes('ConditionalCheckFailed')) return 'stale';
        throw error;
      }
    },

    async getInteraction(leadId, at, interactionId) {
      const result = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: keys.interaction(leadId, at, interactionId), ConsistentRead: true }),
      );
      return result.Item ? parseInteraction(result.Item) : undefined;
    },

    async claimConfirmationMail(claim) {
      return writeIf(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...bookingKeys.confirmationMail(claim.leadId, claim.bookingId, claim.sequence),
            eventId: claim.eventId,
            claimedAt: claim.at,
            expiresAt: epochSeconds(claim.at) + MAIL_CLAIM_RETENTION_SECONDS,
          },
          // A retry of the claiming event may take over only while nothing was sent: a redelivery after the send mails nothing.
          ConditionExpression: 'attribute_not_exists(pk) OR (eventId = :eventId AND attribute_not_exists(mailedAt))',
          ExpressionAttributeValues: { ':eventId': claim.eventId },
        }),
      );
    },

    async markConfirmationMailed(claim) {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: bookingKeys.confirmationMail(claim.leadId, claim.bookingId, claim.sequence),
          UpdateExpression: 'SET mailedAt = :at, messageId = :messageId',
          ExpressionAttributeValues: { ':at': claim.at, ':messageId': claim.messageId },
        }),
      );
    },
  };
}
