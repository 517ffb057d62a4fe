/**
 * `npm run reports:backfill [-- --from 2022-05] [--to 2026-12] [--restart]`: writes the report
 * facts of the cases received before the facts existed (docs/reports.md, "Backfill"), and counts on
 * the dashboard the cases written before its counters existed (docs/sweeps.md): month by
 * month from the byReceived index (a Query per month, never a Scan), a fact only where none is
 * (idempotent), the position kept in the table after every page (resumable: run it again after a
 * stop). Default: from 2015-01 to this month. Against AWS: set TABLE_NAME and the region as the
 * functions have them.
 */
import { useRunningStackEnv } from '../local/connect';

useRunningStackEnv();
const { createDynamoDbClient } = await import('../shared/adapters/clients');
const { documentClient } = await import('../shared/adapters/dynamodb-repository');
const { DynamoDbReportBackfillStore } = await import('../shared/adapters/report-backfill-store');
const { backfillReportFacts } = await import('../shared/app/report-backfill');
const { ENV, optionalEnv, requireEnv } = await import('../shared/config/env');
const { shanghaiDate } = await import('../shared/domain/time');

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const db = documentClient(createDynamoDbClient({ region: requireEnv(ENV.region), dynamodbEndpoint: optionalEnv(ENV.dynamodbEndpoint) }));
const store = new DynamoDbReportBackfillStore(db, requireEnv(ENV.tableName));
const result = await backfillReportFacts(store, {
  fromMonth: arg('from') ?? '2015-01',
  toMonth: arg('to') ?? shanghaiDate(new Date()).slice(0, 7),
  restart: process.argv.includes('--restart'),
});
console.log(
  `report facts: ${result.cases} cases read, ${result.written} facts written, ${result.dashboard} cases counted on the dashboard${result.complete ? '' : ' (stopped; run again to continue)'}`,
);
