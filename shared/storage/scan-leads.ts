import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import type { LeadItem } from './lead-item';
import { keys } from './table-design';

export interface ScanLeadsOptions<F extends keyof LeadItem> {
  /** the profile attributes to read (a ProjectionExpression: only these cross the wire) */
  fields: readonly F[];
  /** parallel scan segments; each is paginated on its own */
  segments?: number;
  /** called after every page with the number of profile items read so far */
  onProgress?: (scanned: number) => void;
}

/**
 * Every lead profile item, with the given attributes only.
 *
 * This is a full-table Scan, on purpose: it serves operator commands (the funnel report, a rescore)
 * that must look at every lead, run rarely and by hand, and are not on any request path. The
 * profile filter (sk = PROFILE) is applied by DynamoDB after reading, so the scan still reads (and
 * bills) the interaction, email and outbox items; a parallel scan over a few segments keeps it quick.
 * Nothing user-facing may use this: request paths address leads by key.
 */
export async function scanLeadProfiles<F extends keyof LeadItem>(
  tableName: string,
  options: ScanLeadsOptions<F>,
): Promise<Array<Pick<LeadItem, F>>> {
  const segments = options.segments ?? 4;
  const names = Object.fromEntries(options.fields.map((field, index) => [`#f${index}`, field]));
  const leads: Array<Pick<LeadItem, F>> = [];
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: '#sk = :profile',
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: { ...names, '#sk': 'sk' },
            ExpressionAttributeValues: { ':profile': keys.lead('').sk },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) leads.push(item as Pick<LeadItem, F>);
        options.onProgress?.(leads.length);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  return leads;
}
