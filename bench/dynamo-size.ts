/**
 * DynamoDB item sizes by AWS's documented rules (attribute names + values; numbers ≈ 1 byte per two
 * significant digits + 1; 3 bytes per list/map plus 1 per element), used to cross-check the
 * capacity DynamoDB Local reports against what AWS would bill: 1 WRU per started KB of item, two
 * for a write inside a transaction.
 */
export function attributeValueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/[-.]/g, '').replace(/^0+/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((total: number, item) => total + attributeValueSize(item), 0);
  if (Array.isArray(value)) return 3 + value.reduce((total: number, item) => total + 1 + attributeValueSize(item), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (total, [name, item]) => total + 1 + Buffer.byteLength(name, 'utf8') + attributeValueSize(item),
        0,
      )
    );
  }
  return 0;
}

export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce(
    (total, [name, value]) => (value === undefined ? total : total + Buffer.byteLength(name, 'utf8') + attributeValueSize(value)),
    0,
  );
}

/** Write request units AWS charges for writing an item of this size (x2 inside a transaction). */
export function writeUnitsFor(sizeBytes: number, transactional: boolean): number {
  return Math.max(1, Math.ceil(sizeBytes / 1024)) * (transactional ? 2 : 1);
}

/**
 * The item an Update creates on a key that does not exist yet: the key plus every SET/ADD target
 * with the value it is given (if_not_exists/list_append take their fallback). An approximation that
 * is exact for the capture upsert of a new lead.
 */
export function itemCreatedByUpdate(update: {
  Key: Record<string, unknown>;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}): Record<string, unknown> {
  const item: Record<string, unknown> = { ...update.Key };
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const expression = update.UpdateExpression ?? '';
  const sections = expression.split(/\b(SET|ADD|REMOVE|DELETE)\b/).slice(1);
  for (let i = 0; i + 1 < sections.length; i += 2) {
    const action = sections[i];
    const body = sections[i + 1] ?? '';
    if (action !== 'SET' && action !== 'ADD') continue;
    for (const clause of splitTopLevel(body)) {
      const [target, expr] = action === 'SET' ? clause.split('=').map((part) => part.trim()) : clause.trim().split(/\s+/);
      if (!target || !expr) continue;
      const name = names[target] ?? target;
      const placeholders = expr.match(/:[A-Za-z0-9_]+/g) ?? [];
      const chosen = placeholders.at(-1);
      if (chosen && chosen in values) item[name] = values[chosen];
    }
  }
  return item;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

/** AWS-rule WRU estimate for a TransactWriteItems input whose updates create new items. */
export function transactWriteUnitsByAwsRules(input: { TransactItems?: Array<Record<string, any>> }): {
  units: number;
  itemBytes: number[];
} {
  const itemBytes: number[] = [];
  for (const entry of input.TransactItems ?? []) {
    if (entry.Put) itemBytes.push(itemSize(entry.Put.Item));
    else if (entry.Update) itemBytes.push(itemSize(itemCreatedByUpdate(entry.Update)));
    else if (entry.Delete) itemBytes.push(itemSize(entry.Delete.Key));
    else if (entry.ConditionCheck) itemBytes.push(itemSize(entry.ConditionCheck.Key));
  }
  return { units: itemBytes.reduce((total, bytes) => total + writeUnitsFor(bytes, true), 0), itemBytes };
}
