import type { CommandContext } from '../context';

/**
 * `leadpipe campaign reindex`: puts every lead that may get marketing mail into the subscribers index and takes
 * out every other, once, for subscribers who confirmed before the index existed. Safe to run again: a second run
 * changes nothing. Reads every profile (a Scan), like report funnel and rescore.
 */
export async function campaignReindex(ctx: CommandContext): Promise<void> {
  const { reindexSubscribers } = await import('../../shared/storage/dynamo-campaign-store');
  let lastReported = 0;
  const report = await reindexSubscribers(ctx.tableName, {
    onProgress: (scanned) => {
      if (scanned - lastReported >= 1000) {
        lastReported = scanned;
        ctx.err.write(`scanned ${scanned} leads\n`);
      }
    },
  });
  ctx.out.write(
    `Subscribers index: ${report.scanned} leads read, ${report.added} added, ${report.removed} removed` +
      `${report.changedMeanwhile ? `, ${report.changedMeanwhile} changed meanwhile (left to that change)` : ''}.\n`,
  );
}
