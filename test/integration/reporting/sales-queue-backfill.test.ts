import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../../shared/storage/dynamodb-client';
import { rebuildFunnelProjection } from '../../../shared/storage/funnel-projection-rebuild';
import { keys } from '../../../shared/storage/table-design';
import { startTestStack, type TestStack } from '../../support/test-stack';

/** Profiles as an installation from before the sales queue stored them: an undecided MQL and an accepted one. */
function profileFromBeforeTheQueue(leadId: string, lifecycle: 'mql' | 'sql') {
  return {
    ...keys.lead(leadId),
    leadId,
    email: `${leadId}@acme-gmbh.example`,
    lifecycle,
    qualification: 'qualified',
    createdAt: '2026-11-02T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    mqlAt: '2026-11-20T10:00:00.000Z',
    qualificationSeq: 1,
    version: 3,
  };
}

describe('report funnel --rebuild on an installation from before the sales queue', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('puts the undecided MQLs into the sales queue once, and leaves decided leads out', async () => {
    // Prepare
    const table = stack.stack.tableName;
    await documentClient.send(new PutCommand({ TableName: table, Item: profileFromBeforeTheQueue('old-mql', 'mql') }));
    await documentClient.send(new PutCommand({ TableName: table, Item: profileFromBeforeTheQueue('old-sql', 'sql') }));

    // Act
    const first = await rebuildFunnelProjection(table);
    const second = await rebuildFunnelProjection(table);

    // Assess
    const queueOf = async (leadId: string) =>
      (await documentClient.send(new GetCommand({ TableName: table, Key: keys.lead(leadId), ConsistentRead: true }))).Item?.salesQueue;
    expect(first.queued).toBe(1);
    expect(second.queued).toBe(0);
    expect(await queueOf('old-mql')).toBeDefined();
    expect(await queueOf('old-sql')).toBeUndefined();
  });
});
