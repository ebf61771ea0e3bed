import { en } from 'zod/locales';
import * as z from 'zod/mini';

// A bad detail is reported with zod's messages ("at: Invalid ISO datetime"); zod/mini has none of its own.
z.config(en());

/** One event, declared once: producers, consumers and rule patterns all import this object. */
export interface EventDeclaration<S extends z.ZodMiniType = z.ZodMiniType, T extends string = string> {
  source: string;
  /** kept as its literal type, so a handler of several events can tell them apart by it (eventHandler) */
  detailType: T;
  schema: S;
}

export function defineEvent<S extends z.ZodMiniType, const T extends string>(declaration: EventDeclaration<S, T>): EventDeclaration<S, T> {
  return declaration;
}

export type DetailOf<E extends EventDeclaration> = z.infer<E['schema']>;

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** Validates an incoming EventBridge event against its declaration; a mismatch is a bug upstream, so it throws. */
export function parseDetail<E extends EventDeclaration>(
  declaration: E,
  event: { source: string; 'detail-type': string; detail: unknown },
): DetailOf<E> {
  if (event.source !== declaration.source || event['detail-type'] !== declaration.detailType) {
    throw new InvalidEventError(`Expected ${declaration.source}/${declaration.detailType}, got ${event.source}/${event['detail-type']}`);
  }
  const parsed = declaration.schema.safeParse(event.detail);
  if (!parsed.success) {
    throw new InvalidEventError(
      `${declaration.detailType} detail is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data as DetailOf<E>;
}

/** The rule pattern that selects one declared event, optionally narrowed on its detail. */
export function patternFor(declaration: EventDeclaration, detail?: Record<string, unknown>): Record<string, unknown> {
  return {
    source: [declaration.source],
    'detail-type': [declaration.detailType],
    ...(detail ? { detail } : {}),
  };
}

/** The rule pattern that selects any of several declared events from one source. */
export function patternForAny(declarations: readonly EventDeclaration[]): Record<string, unknown> {
  const sources = [...new Set(declarations.map((declaration) => declaration.source))];
  return { source: sources, 'detail-type': declarations.map((declaration) => declaration.detailType) };
}

/** Finds the declaration an incoming event belongs to, so one target can serve a few related events. */
export function declarationOf<E extends EventDeclaration>(
  declarations: readonly E[],
  event: { source: string; 'detail-type': string },
): E | undefined {
  return declarations.find((declaration) => declaration.source === event.source && declaration.detailType === event['detail-type']);
}
