/**
 * An item's size as DynamoDB counts it against its 400 KB limit (developer guide, "Item sizes"):
 * attribute names plus values; strings in UTF-8 bytes; numbers about one byte per two significant
 * digits plus one; booleans and nulls one byte; lists and maps 3 bytes plus one per element, map keys
 * counted like names. Sets (as the document client returns them) are the sum of their elements.
 */
export function dynamoItemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 1);
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [key, element]) => sum + 1 + Buffer.byteLength(key) + valueSize(element),
        0,
      )
    );
  }
  throw new Error(`dynamoItemSize: unsupported value ${String(value)}`);
}
