/**
 * Amazon EventBridge event-pattern matching for the local event bus.
 *
 * Follows the EventBridge user guide ("Creating event patterns", "Content filtering", "Arrays in event
 * patterns") and, where the guide is silent, the open-source engine EventBridge runs on (aws/event-ruler):
 * - the event is flattened into leaf fields keyed by dotted path; objects and empty arrays are not leaves;
 * - the pattern is expanded into sub-rules, one per `$or` branch combination;
 * - a sub-rule matches when each of its paths, visited in sorted order, has a leaf that matches one of the
 *   path's values (or, for `{"exists": false}`, has no leaf), with all chosen leaves taken from the same
 *   element of any array they share ("array consistency").
 */

export type JsonPrimitive = string | number | boolean | null;

type StringOrStrings = string | readonly string[];
type IgnoreCase = { readonly 'equals-ignore-case': string };

export type AnythingButOperand =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: StringOrStrings }
  | { readonly suffix: StringOrStrings }
  | { readonly wildcard: StringOrStrings }
  | { readonly 'equals-ignore-case': StringOrStrings };

export type ContentFilter =
  | { readonly prefix: string | IgnoreCase }
  | { readonly suffix: string | IgnoreCase }
  | { readonly 'equals-ignore-case': string }
  | { readonly 'anything-but': AnythingButOperand }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly wildcard: string }
  | { readonly cidr: string };

/** One entry of a leaf array: an exact value or a content filter. */
export type PatternValue = JsonPrimitive | ContentFilter;

/** Leaf arrays are OR-ed, fields are AND-ed; `$or` holds alternative sub-patterns. */
export type EventPattern = {
  readonly [field: string]: EventPattern | readonly PatternValue[] | readonly EventPattern[];
};

const OR_KEY = '$or';

/**
 * True when `event` matches `pattern` as EventBridge would match it. Never throws: parts of an invalid
 * pattern simply match nothing, so check rules with {@link validateEventPattern} when registering them.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isPlainObject(pattern)) return false;
  const fields = flattenEvent(event);
  return compileSubRules(pattern).some((subRule) => matchesSubRule(subRule, fields));
}

/** Problems that would make EventBridge reject the pattern, as "location: message" lines; empty when valid. */
export function validateEventPattern(pattern: unknown): string[] {
  const problems: string[] = [];
  validatePatternObject(pattern, '', false, problems);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Pattern compilation

type ValueTest = (value: JsonPrimitive) => boolean;

interface FieldCondition {
  readonly tests: readonly ValueTest[];
  /** the field's values include `{"exists": false}` */
  readonly allowsAbsence: boolean;
}

type SubRule = readonly (readonly [path: string, condition: FieldCondition])[];

const ANY: ValueTest = () => true;
const NEVER: ValueTest = () => false;
/** stands in for a field whose pattern value is neither an array nor an object */
const UNMATCHABLE: FieldCondition = { tests: [], allowsAbsence: false };

function compileSubRules(pattern: EventPattern): SubRule[] {
  return expandObject(pattern, '', [new Map()])
    .filter((subRule) => subRule.size > 0)
    .map((subRule) => [...subRule].sort(([a], [b]) => compareStrings(a, b)));
}

/** Adds the object's fields to every sub-rule; each `$or` multiplies the sub-rules by its branches. */
function expandObject(
  pattern: object,
  prefix: string,
  subRules: Map<string, FieldCondition>[],
): Map<string, FieldCondition>[] {
  let current = subRules;
  for (const [key, value] of Object.entries(pattern)) {
    if (key === OR_KEY && Array.isArray(value)) {
      const branches = value.filter(isPlainObject);
      current = branches.flatMap((branch) => expandObject(branch, prefix, current.map((rule) => new Map(rule))));
    } else if (isPlainObject(value)) {
      current = expandObject(value, joinPath(prefix, key), current);
    } else {
      const condition = Array.isArray(value) ? compileCondition(value) : UNMATCHABLE;
      for (const rule of current) rule.set(joinPath(prefix, key), condition);
    }
  }
  return current;
}

function compileCondition(values: readonly unknown[]): FieldCondition {
  return {
    tests: values.map(compileValueTest),
    allowsAbsence: values.some(isExistsFalse),
  };
}

function isExistsFalse(value: unknown): boolean {
  const entry = isPlainObject(value) ? singleEntry(value) : undefined;
  return entry?.[0] === 'exists' && entry[1] === false;
}

function compileValueTest(value: unknown): ValueTest {
  if (isJsonPrimitive(value)) return exactTest(value);
  const entry = isPlainObject(value) ? singleEntry(value) : undefined;
  const compile = entry && OPERATORS.get(entry[0]);
  return compile ? compile(entry[1]) : NEVER;
}

function exactTest(expected: JsonPrimitive): ValueTest {
  // An IP literal in a pattern matches the same address however it is written (e.g. IPv6 "::1")
  const expectedIp = typeof expected === 'string' ? parseIp(expected) : undefined;
  if (!expectedIp) return (value) => value === expected;
  return (value) => value === expected || (typeof value === 'string' && sameIp(expectedIp, parseIp(value)));
}

const onStrings =
  (test: (value: string) => boolean): ValueTest =>
  (value) =>
    typeof value === 'string' && test(value);

const foldCase = (text: string): string => text.toLowerCase();
const startsWith = (value: string, prefix: string): boolean => value.startsWith(prefix);
const endsWith = (value: string, suffix: string): boolean => value.endsWith(suffix);

/** String-only matchers, shared by the plain operators and by `anything-but`. */
const STRING_MATCHERS = new Map<string, (operand: string) => ValueTest>([
  ['prefix', (prefix) => onStrings((value) => value.startsWith(prefix))],
  ['suffix', (suffix) => onStrings((value) => value.endsWith(suffix))],
  ['equals-ignore-case', (text) => onStrings((value) => foldCase(value) === foldCase(text))],
  ['wildcard', (wildcard) => onStrings(wildcardMatcher(wildcard))],
]);

function stringOperator(name: string): (operand: unknown) => ValueTest {
  const make = STRING_MATCHERS.get(name);
  return (operand) => (make && typeof operand === 'string' ? make(operand) : NEVER);
}

const OPERATORS = new Map<string, (operand: unknown) => ValueTest>([
  ['prefix', (operand) => affixTest(operand, startsWith)],
  ['suffix', (operand) => affixTest(operand, endsWith)],
  ['equals-ignore-case', stringOperator('equals-ignore-case')],
  ['wildcard', stringOperator('wildcard')],
  ['anything-but', anythingButTest],
  ['numeric', numericTest],
  // `{"exists": false}` never matches a present value; compileCondition records it as allowsAbsence
  ['exists', (operand) => (operand === true ? ANY : NEVER)],
  ['cidr', cidrTest],
]);

function affixTest(operand: unknown, hasAffix: (value: string, affix: string) => boolean): ValueTest {
  if (typeof operand === 'string') return onStrings((value) => hasAffix(value, operand));
  const ignoringCase = ignoreCaseOperand(operand);
  if (ignoringCase === undefined) return NEVER;
  const folded = foldCase(ignoringCase);
  return onStrings((value) => hasAffix(foldCase(value), folded));
}

/** The string of `{"equals-ignore-case": "..."}`, as nested in prefix and suffix. */
function ignoreCaseOperand(operand: unknown): string | undefined {
  const entry = isPlainObject(operand) ? singleEntry(operand) : undefined;
  return entry?.[0] === 'equals-ignore-case' && typeof entry[1] === 'string' ? entry[1] : undefined;
}

/** Matches any present value, of any type, that none of the excluded patterns matches. */
function anythingButTest(operand: unknown): ValueTest {
  const excluded = isPlainObject(operand) ? excludedByOperator(operand) : asList(operand).map(strictEquals);
  if (!excluded) return NEVER;
  return (value) => !excluded.some((isExcluded) => isExcluded(value));
}

function excludedByOperator(operand: Record<string, unknown>): ValueTest[] | undefined {
  const entry = singleEntry(operand);
  const make = entry && STRING_MATCHERS.get(entry[0]);
  if (!make) return undefined;
  return asList(entry[1]).filter((item): item is string => typeof item === 'string').map(make);
}

function strictEquals(expected: unknown): ValueTest {
  return (value) => value === expected;
}

type Comparator = (value: number, bound: number) => boolean;

const COMPARATORS = new Map<unknown, Comparator>([
  ['=', (value, bound) => value === bound],
  ['<', (value, bound) => value < bound],
  ['<=', (value, bound) => value <= bound],
  ['>', (value, bound) => value > bound],
  ['>=', (value, bound) => value >= bound],
]);

/** `["op", n, "op", n, ...]`: every comparison must hold; only JSON numbers qualify. */
function numericTest(operand: unknown): ValueTest {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) return NEVER;
  const checks: ((value: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const compare = COMPARATORS.get(operand[i]);
    const bound: unknown = operand[i + 1];
    if (!compare || typeof bound !== 'number') return NEVER;
    checks.push((value) => compare(value, bound));
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}

function cidrTest(operand: unknown): ValueTest {
  const range = typeof operand === 'string' ? parseCidr(operand) : undefined;
  if (!range) return NEVER;
  return onStrings((value) => {
    const ip = parseIp(value);
    return ip !== undefined && ip.version === range.version && ip.value >= range.low && ip.value <= range.high;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Event flattening and sub-rule matching

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
      value.forEach((element, index) => visit(element, path, new Map(membership).set(arrayId, index)));
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

function matchesSubRule(subRule: SubRule, fields: FlatEvent): boolean {
  const matchFrom = (index: number, membership: Membership): boolean => {
    const entry = subRule[index];
    if (!entry) return true;
    const [path, condition] = entry;
    const candidates = fields.get(path) ?? [];

    const matchedByValue = candidates.some((field) => {
      const joined = joinMembership(membership, field.membership);
      return joined !== undefined && condition.tests.some((test) => test(field.value)) && matchFrom(index + 1, joined);
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

const OPERATOR_NAMES = new Set(OPERATORS.keys());

function validatePatternObject(pattern: unknown, location: string, insideOr: boolean, problems: string[]): void {
  if (!isPlainObject(pattern)) {
    problems.push(problemAt(location, 'must be a JSON object'));
    return;
  }
  const entries = Object.entries(pattern);
  if (entries.length === 0) problems.push(problemAt(location, 'must not be an empty object'));

  for (const [key, value] of entries) {
    const at = joinPath(location, key);
    if (insideOr && OPERATOR_NAMES.has(key)) {
      problems.push(problemAt(at, `"${key}" is an operator name and cannot be used as a field name inside "$or"`));
    } else if (key === OR_KEY) {
      validateOr(value, at, problems);
    } else if (Array.isArray(value)) {
      validateValueList(value, at, problems);
    } else if (isPlainObject(value)) {
      validatePatternObject(value, at, insideOr, problems);
    } else {
      problems.push(problemAt(at, 'must be an array of values or a nested object'));
    }
  }
}

function validateOr(value: unknown, location: string, problems: string[]): void {
  if (!Array.isArray(value) || value.length < 2) {
    problems.push(problemAt(location, 'must be an array of at least two pattern objects'));
    return;
  }
  value.forEach((branch, index) => validatePatternObject(branch, `${location}[${index}]`, true, problems));
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
  const check = OPERATOR_CHECKS.get(name);
  return check ? check(operand) : `unknown operator "${name}"`;
}

type OperandCheck = (operand: unknown) => string | undefined;

const OPERATOR_CHECKS = new Map<string, OperandCheck>([
  ['prefix', (operand) => affixProblem('prefix', operand)],
  ['suffix', (operand) => affixProblem('suffix', operand)],
  ['equals-ignore-case', (operand) => (typeof operand === 'string' ? undefined : mustBeString('equals-ignore-case'))],
  ['wildcard', (operand) => (typeof operand === 'string' ? wildcardProblem(operand) : mustBeString('wildcard'))],
  ['anything-but', anythingButProblem],
  ['numeric', numericProblem],
  ['exists', (operand) => (typeof operand === 'boolean' ? undefined : '"exists" must be true or false')],
  ['cidr', (operand) => (typeof operand === 'string' ? cidrProblem(operand) : mustBeString('cidr'))],
]);

function mustBeString(operator: string): string {
  return `"${operator}" must be a string`;
}

function affixProblem(name: string, operand: unknown): string | undefined {
  if (typeof operand === 'string' || ignoreCaseOperand(operand) !== undefined) return undefined;
  return `"${name}" must be a string or {"equals-ignore-case": string}`;
}

function anythingButProblem(operand: unknown): string | undefined {
  if (typeof operand === 'string' || isFiniteNumber(operand)) return undefined;
  if (Array.isArray(operand)) {
    if (operand.length === 0) return '"anything-but" must not be an empty array';
    const sameType = operand.every((item) => typeof item === 'string') || operand.every(isFiniteNumber);
    return sameType ? undefined : '"anything-but" lists must hold only strings or only numbers';
  }
  if (isPlainObject(operand)) return anythingButOperatorProblem(operand);
  return '"anything-but" must be a string, a number, a list of them, or an object with one of ' +
    'prefix, suffix, wildcard or equals-ignore-case';
}

function anythingButOperatorProblem(operand: Record<string, unknown>): string | undefined {
  const entry = singleEntry(operand);
  if (!entry || !STRING_MATCHERS.has(entry[0])) {
    return '"anything-but" objects take exactly one of prefix, suffix, wildcard or equals-ignore-case';
  }
  const [name, value] = entry;
  const items = asList(value);
  if (items.length === 0 || !items.every((item): item is string => typeof item === 'string')) {
    return `"anything-but" ${name} must be a string or a non-empty list of strings`;
  }
  if ((name === 'prefix' || name === 'suffix') && items.includes('')) {
    return `"anything-but" ${name} must not be empty`;
  }
  return name === 'wildcard' ? items.map(wildcardProblem).find(Boolean) : undefined;
}

/** EventBridge accepts one comparison, or a lower bound (> or >=) followed by an upper bound (< or <=). */
function numericProblem(operand: unknown): string | undefined {
  if (!Array.isArray(operand) || operand.length === 0) return '"numeric" must be an array such as [">", 0, "<=", 5]';
  const [lowOperator, low, highOperator, high, ...rest] = operand as unknown[];
  if (!COMPARATORS.has(lowOperator)) return `unknown numeric operator ${JSON.stringify(lowOperator)}`;
  if (!isFiniteNumber(low)) return `"numeric" operand of "${String(lowOperator)}" must be a number`;
  if (operand.length === 2) return undefined;
  if (lowOperator !== '>' && lowOperator !== '>=') {
    return `"numeric" "${String(lowOperator)}" cannot be combined with another comparison`;
  }
  if (highOperator !== '<' && highOperator !== '<=') return '"numeric" lower bound must be followed by "<" or "<="';
  if (!isFiniteNumber(high)) return `"numeric" operand of "${highOperator}" must be a number`;
  if (rest.length > 0) return '"numeric" takes at most two comparisons';
  return low < high ? undefined : '"numeric" lower bound must be less than the upper bound';
}

function problemAt(location: string, message: string): string {
  return `${location || 'pattern'}: ${message}`;
}

// ---------------------------------------------------------------------------------------------------------
// Wildcards: "*" matches any run of characters, "\*" a literal star, "\\" a literal backslash

function wildcardProblem(wildcard: string): string | undefined {
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard[i];
    const next = wildcard[i + 1];
    if (char === '\\') {
      if (next !== '*' && next !== '\\') return `"wildcard" has an invalid escape at position ${i}`;
      i++;
    } else if (char === '*' && next === '*') {
      return `"wildcard" must not contain consecutive "*" (position ${i})`;
    }
  }
  return undefined;
}

function wildcardMatcher(wildcard: string): (value: string) => boolean {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard[i] ?? '';
    if (char === '\\' && i + 1 < wildcard.length) source += escapeRegExp(wildcard[++i] ?? '');
    else source += char === '*' ? '.*' : escapeRegExp(char);
  }
  const regExp = new RegExp(`^${source}$`, 's');
  return (value) => regExp.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses

interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

interface CidrRange {
  readonly version: 4 | 6;
  readonly low: bigint;
  readonly high: bigint;
}

const IP_BITS = { 4: 32, 6: 128 } as const;

function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

function sameIp(a: IpAddress, b: IpAddress | undefined): boolean {
  return b !== undefined && a.version === b.version && a.value === b.value;
}

function parseIpv4(text: string): bigint | undefined {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!octets || octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;

  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** Colon-separated hex groups; the last one may be a dotted IPv4 address worth two groups. */
function parseIpv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    const embeddedV4 = index === parts.length - 1 && part.includes('.') ? parseIpv4(part) : undefined;
    if (embeddedV4 !== undefined) groups.push(Number(embeddedV4 >> 16n), Number(embeddedV4 & 0xffffn));
    else if (/^[0-9a-fA-F]{1,4}$/.test(part)) groups.push(Number.parseInt(part, 16));
    else return undefined;
  }
  return groups;
}

function parseCidr(text: string): CidrRange | undefined {
  return cidrProblem(text) === undefined ? cidrRange(text) : undefined;
}

function cidrRange(text: string): CidrRange | undefined {
  const [address = '', maskText = ''] = text.split('/');
  const ip = parseIp(address);
  if (!ip) return undefined;
  const hostBits = BigInt(IP_BITS[ip.version] - Number(maskText));
  const hostMask = (1n << hostBits) - 1n;
  return { version: ip.version, low: ip.value & ~hostMask, high: ip.value | hostMask };
}

/** EventBridge rejects full-length masks (/32, /128): an exact IP value matches a single address instead. */
function cidrProblem(text: string): string | undefined {
  const parts = text.split('/');
  const [address = '', maskText = ''] = parts;
  if (parts.length !== 2) return '"cidr" must look like "10.0.0.0/24"';
  const ip = parseIp(address);
  if (!ip) return `"cidr" has an invalid IP address "${address}"`;
  const maxMask = IP_BITS[ip.version] - 1;
  const validMask = /^\d+$/.test(maskText) && Number(maskText) <= maxMask;
  return validMask ? undefined : `"cidr" mask must be an integer from 0 to ${maxMask}`;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function singleEntry(object: Record<string, unknown>): [string, unknown] | undefined {
  const entries = Object.entries(object);
  return entries.length === 1 ? entries[0] : undefined;
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function joinPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Code-unit order, as EventBridge sorts field names (not locale order). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
