/**
 * Amazon EventBridge event-pattern matching for the local event bus and the local stream filter,
 * trimmed to what this app's rules use (shared/wiring/app-wiring.ts, shared/events, the outbox stream
 * filter in shared/storage/table-design.ts): exact values (strings, numbers, booleans, null), nested
 * objects, and `{"exists": true|false}`.
 *
 * Everything else EventBridge offers (prefix, suffix, equals-ignore-case, wildcard, anything-but,
 * numeric, cidr, $or) is not supported by the local matcher: {@link validateEventPattern} reports it, and the local bus and
 * stream poller call {@link assertValidEventPattern} when they take a rule or filter, so such a pattern
 * fails at start-up instead of silently matching nothing. Add an operator here, with tests, before a
 * rule uses it.
 *
 * Semantics follow the EventBridge user guide and, where it is silent, aws/event-ruler, the engine
 * EventBridge runs on:
 * - the event is flattened into leaf fields keyed by dotted path; objects and empty arrays are not leaves;
 * - a pattern matches when each of its paths, visited in sorted order, has a leaf that equals one of the
 *   path's values (or, for `{"exists": false}`, has no leaf), with all chosen leaves taken from the same
 *   element of any array they share ("array consistency").
 */

export type JsonPrimitive = string | number | boolean | null;

/** One entry of a leaf array: an exact value or `{"exists": boolean}`. */
export type PatternValue = JsonPrimitive | { readonly exists: boolean };

/** Leaf arrays are OR-ed, fields are AND-ed. */
export type EventPattern = {
  readonly [field: string]: EventPattern | readonly PatternValue[];
};

/** EventBridge's default quota for a rule's pattern; Lambda filter patterns may be longer (4096), so this holds for both. */
export const MAX_PATTERN_LENGTH = 2048;

/** True when `event` matches `pattern` as EventBridge would. Parts of an invalid pattern match nothing. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isPlainObject(pattern)) return false;
  const conditions = [...compileConditions(pattern, '')].sort(([a], [b]) => compareStrings(a, b));
  return conditions.length > 0 && matchesConditions(conditions, flattenEvent(event));
}

/** Problems that would make EventBridge reject the pattern, or that the local matcher cannot honour; empty when valid. */
export function validateEventPattern(pattern: unknown): string[] {
  const problems: string[] = [];
  validatePatternObject(pattern, '', problems);
  const length = JSON.stringify(pattern)?.length ?? 0;
  if (length > MAX_PATTERN_LENGTH) problems.push(`pattern: is ${length} characters long, EventBridge allows ${MAX_PATTERN_LENGTH}`);
  return problems;
}

export class InvalidEventPatternError extends Error {
  constructor(
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(`${what} has an invalid event pattern: ${problems.join('; ')}`);
    this.name = 'InvalidEventPatternError';
  }
}

/** Throws InvalidEventPatternError naming `what` (e.g. "rule opt-in-on-consent-request") when the pattern is not valid. */
export function assertValidEventPattern(pattern: unknown, what: string): void {
  const problems = validateEventPattern(pattern);
  if (problems.length > 0) throw new InvalidEventPatternError(what, problems);
}

// ---------------------------------------------------------------------------------------------------------
// Compilation and matching

interface FieldCondition {
  readonly values: readonly unknown[];
  readonly anyValue: boolean;
  /** the field's values include `{"exists": false}` */
  readonly allowsAbsence: boolean;
}

function* compileConditions(pattern: Record<string, unknown>, prefix: string): Generator<[string, FieldCondition]> {
  for (const [key, value] of Object.entries(pattern)) {
    const path = joinPath(prefix, key);
    if (isPlainObject(value)) yield* compileConditions(value, path);
    else if (Array.isArray(value)) yield [path, compileCondition(value)];
    // anything else cannot match: an impossible condition
    else yield [path, { values: [], anyValue: false, allowsAbsence: false }];
  }
}

function compileCondition(values: readonly unknown[]): FieldCondition {
  return {
    values: values.filter(isJsonPrimitive),
    anyValue: values.some((value) => existsOperand(value) === true),
    allowsAbsence: values.some((value) => existsOperand(value) === false),
  };
}

function existsOperand(value: unknown): unknown {
  return isPlainObject(value) && Object.keys(value).length === 1 ? value.exists : undefined;
}

function accepts(condition: FieldCondition, value: JsonPrimitive): boolean {
  // Numbers compare by value (300 equals 300.0), every other type strictly.
  return condition.anyValue || condition.values.includes(value);
}

/** For each array a leaf sits in (by array id): the index of the element it came from. */
type Membership = ReadonlyMap<number, number>;

interface EventField {
  readonly value: JsonPrimitive;
  readonly membership: Membership;
}

type FlatEvent = ReadonlyMap<string, readonly EventField[]>;

function flattenEvent(event: unknown): FlatEvent {
  const fields = new Map<string, EventField[]>();
  let nextArrayId = 0;

  const visit = (value: unknown, path: string, membership: Membership): void => {
    if (Array.isArray(value)) {
      const arrayId = nextArrayId++;
      value.forEach((element, index) => {
        visit(element, path, new Map(membership).set(arrayId, index));
      });
    } else if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, joinPath(path, key), membership);
    } else if (isJsonPrimitive(value)) {
      const atPath = fields.get(path) ?? [];
      atPath.push({ value, membership });
      fields.set(path, atPath);
    }
  };

  if (isPlainObject(event)) visit(event, '', new Map());
  return fields;
}

function matchesConditions(conditions: readonly [string, FieldCondition][], fields: FlatEvent): boolean {
  const matchFrom = (index: number, membership: Membership): boolean => {
    const entry = conditions[index];
    if (!entry) return true;
    const [path, condition] = entry;
    const candidates = fields.get(path) ?? [];

    const matchedByValue = candidates.some((field) => {
      const joined = joinMembership(membership, field.membership);
      return joined !== undefined && accepts(condition, field.value) && matchFrom(index + 1, joined);
    });
    if (matchedByValue) return true;

    // Like EventBridge, absence only looks at leaves in the array elements already chosen by earlier paths
    const present = candidates.some((field) => joinMembership(membership, field.membership) !== undefined);
    return condition.allowsAbsence && !present && matchFrom(index + 1, membership);
  };
  return matchFrom(0, new Map());
}

/** Both memberships combined, or undefined when they point at different elements of the same array. */
function joinMembership(current: Membership, added: Membership): Membership | undefined {
  const joined = new Map(current);
  for (const [arrayId, index] of added) {
    const existing = joined.get(arrayId);
    if (existing !== undefined && existing !== index) return undefined;
    joined.set(arrayId, index);
  }
  return joined;
}

// ---------------------------------------------------------------------------------------------------------
// Validation

/** Valid in EventBridge, unsupported by this matcher: a rule using one must fail locally rather than match nothing. */
const UNSUPPORTED_OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'cidr']);

function unsupported(what: string): string {
  return `${what} is valid in EventBridge but not supported by the local matcher (local/event-bus/event-pattern-matcher.ts)`;
}

function validatePatternObject(pattern: unknown, location: string, problems: string[]): void {
  if (!isPlainObject(pattern)) {
    problems.push(problemAt(location, 'must be a JSON object'));
    return;
  }
  const entries = Object.entries(pattern);
  if (entries.length === 0) problems.push(problemAt(location, 'must not be an empty object'));

  for (const [key, value] of entries) {
    const at = joinPath(location, key);
    if (key === '$or') problems.push(problemAt(at, unsupported('"$or"')));
    else if (Array.isArray(value)) validateValueList(value, at, problems);
    else if (isPlainObject(value)) validatePatternObject(value, at, problems);
    else problems.push(problemAt(at, 'must be an array of values or a nested object'));
  }
}

function validateValueList(values: readonly unknown[], location: string, problems: string[]): void {
  if (values.length === 0) problems.push(problemAt(location, 'must not be an empty array'));
  values.forEach((value, index) => {
    const problem = valueProblem(value);
    if (problem) problems.push(problemAt(`${location}[${index}]`, problem));
  });
}

function valueProblem(value: unknown): string | undefined {
  if (isJsonPrimitive(value)) return undefined;
  if (Array.isArray(value)) return 'nested arrays are not allowed';
  if (!isPlainObject(value)) return 'must be a string, number, boolean, null or an operator object';

  const entries = Object.entries(value);
  const [name, operand] = entries[0] ?? [];
  if (entries.length !== 1 || name === undefined) return 'an operator object must have exactly one key';
  if (name === 'exists') return typeof operand === 'boolean' ? undefined : '"exists" must be true or false';
  return UNSUPPORTED_OPERATORS.has(name) ? unsupported(`operator "${name}"`) : `unknown operator "${name}"`;
}

function problemAt(location: string, message: string): string {
  return `${location || 'pattern'}: ${message}`;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function joinPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Code-unit order, as EventBridge sorts field names (not locale order). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
