import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { logger } from '../observability/logger';
import { parseDetail, type DetailOf, type EventDeclaration } from './define-event';

export interface HandledEvent<E extends EventDeclaration> {
  id: string;
  /** the event's own time: handlers never read the wall clock */
  time: string;
  detail: DetailOf<E>;
}

/**
 * An EventBridge target for one declared event: validates the detail with the declared schema and
 * hands the use case the event's id and time. Errors propagate so EventBridge retries, then dead-letters.
 */
export function eventHandler<E extends EventDeclaration, R>(declaration: E, handle: (event: HandledEvent<E>) => Promise<R>) {
  return middy<EventBridgeEvent<string, unknown>, R>().handler(async (event) => {
    const detail = parseDetail(declaration, event);
    try {
      return await handle({ id: event.id, time: new Date(event.time).toISOString(), detail });
    } catch (error) {
      logger.error('event handler failed', {
        detailType: declaration.detailType,
        eventId: event.id,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  });
}
