import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { indexesToDeploy, LeadStore, TABLE_INDEXES_CONTEXT } from '../../infra/constructs/lead-store';
import { SECONDARY_INDEXES } from '../../shared/storage/table-design';
import { cdkJsonContext } from './synth-app';

function indexNamesOfTableWith(context: Record<string, string>): string[] {
  // cdk.json's feature flags, as `npx cdk synth` has them (the access-log bucket set-up depends on one).
  const app = new App({ context: { ...cdkJsonContext(), ...context } });
  const stack = new Stack(app, 'Data');
  new LeadStore(stack, 'LeadStore', { assetsDir: 'content/assets', accessLogRetentionDays: 30 });
  const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
  return tables[0]!.Properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName);
}

describe('the lead table indexes of an upgraded installation', () => {
  it('deploys every declared index when the context does not narrow them', () => {
    expect(indexNamesOfTableWith({})).toEqual(SECONDARY_INDEXES.map((index) => index.name));
  });

  it('deploys only the named subset, in the declared order, so an old table gains one index per deployment', () => {
    expect(indexNamesOfTableWith({ [TABLE_INDEXES_CONTEXT]: 'leads-by-day, nurture-due' })).toEqual(['nurture-due', 'leads-by-day']);
  });

  it.each([
    ['an unknown index name', 'nurture-due,leads-by-week', /unknown index leads-by-week/],
    ['an empty list', ' , ', /empty/],
  ])('refuses %s, naming the context key', (_label, value, message) => {
    expect(() => indexesToDeploy(value)).toThrow(message);
    expect(() => indexesToDeploy(value)).toThrow(TABLE_INDEXES_CONTEXT);
  });
});
