import type { EventBridgeEvent } from 'aws-lambda';
import { logger } from '../observability/logger';
import { observedHandler } from '../observability/observed-handler';
import { type DetailOf, declarationOf, type EventDeclaration, InvalidEventError, parseDetail } from './define-event';

type IncomingEvent = EventBridgeEvent<string, unknown>;

/**
 * What a handler gets: one member per declared event, told apart by `detailType`, so that
 * `if (event.detailType === 'Lead Qualified')` narrows `detail` without a cast.
 */
export type HandledEvent<E extends EventDeclaration> = E extends EventDeclaration
  ? {
      id: string;
      /** the event's own time: handlers never read the wall clock */
      time: string;
      detailType: E['detailType'];
      detail: DetailOf<E>;
    }
  : never;

export interface EventHandlerOptions<R> {
  /**
   * An event of none of the declared types. Default: throw, because a rule delivered something
   * the target does not handle (a bug in the wiring). A target behind a broad rule, such as the
   * SES forward rule, may answer instead.
   */
  onUnknown?: (event: IncomingEvent) => R;
}

/**
 * An EventBridge target for one or several declared events: finds the declaration, validates the
 * detail with its schema, and hands the use case the event's id, time and typed detail. Errors
 * propagate so EventBridge retries, then dead-letters.
 */
export function eventHandler<E extends EventDeclaration, R>(
  declarations: E | readonly E[],
  handle: (event: HandledEvent<E>) => Promise<R>,
  options: EventHandlerOptions<R> = {},
) {
  const accepted: readonly E[] = Array.isArray(declarations) ? declarations : [declarations as E];
  return observedHandler<IncomingEvent, R>().handler(async (event) => {
    const declaration = declarationOf(accepted, event);
    if (!declaration) {
      if (options.onUnknown) return options.onUnknown(event);
      throw new InvalidEventError(`Expected one of ${accepted.map((d) => d.detailType).join(', ')}, got ${event['detail-type']}`);
    }
    const detail = parseDetail(declaration, event);
    const handled = { id: event.id, time: new Date(event.time).toISOString(), detailType: declaration.detailType, detail };
    try {
      return await handle(handled as HandledEvent<E>);
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
