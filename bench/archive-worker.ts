/**
 * The archiving process of the archive benchmark (bench/archive.ts starts it): archive-run's
 * service over the emulators, one run for one case. Prints one JSON line: wall time, peak RSS
 * (getrusage maxrss) and the RSS once everything is loaded but before the run.
 */
import { createDynamoDbClient, createS3Client } from '../shared/adapters/clients';
import { DynamoDbArchiveRepository } from '../shared/adapters/archive-repository';
import { S3ArchiveDisposal, S3ArchiveStore } from '../shared/adapters/archive-store';
import { documentClient, DynamoDbCaseRepository } from '../shared/adapters/dynamodb-repository';
import { ArchiveService } from '../shared/app/archive';
import { parseOfficeSettings } from '../shared/domain/office';
import { FakeClock } from '../shared/domain/time';
import { loadLetterFonts } from '../shared/letters/fonts';
import { registrationRenderer } from '../shared/letters/registration';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`missing ${name}`);
  return v;
};
const clients = { region: env('AWS_REGION'), dynamodbEndpoint: env('DYNAMODB_ENDPOINT'), s3Endpoint: env('S3_ENDPOINT') };
const db = documentClient(createDynamoDbClient(clients));
const s3 = createS3Client(clients);
const table = env('TABLE_NAME');
const archive = new ArchiveService({
  repo: new DynamoDbCaseRepository(db, table),
  archive: new DynamoDbArchiveRepository(db, table),
  store: new S3ArchiveStore({ s3, archiveBucket: env('ARCHIVE_BUCKET'), documentsBucket: env('DOCUMENTS_BUCKET') }),
  disposal: new S3ArchiveDisposal({ s3, archiveBucket: env('ARCHIVE_BUCKET') }),
  clock: new FakeClock(env('XF_BENCH_NOW')),
  settings: parseOfficeSettings(undefined),
  registrationForm: registrationRenderer(() => loadLetterFonts()),
});
const baselineRssKb = Math.round(process.memoryUsage().rss / 1024);
const started = performance.now();
const report = await archive.run({ caseNos: [env('XF_BENCH_CASE')] });
const wallMs = performance.now() - started;
const first = report.cases[0];
console.log(
  JSON.stringify({
    wallMs,
    maxRssKb: process.resourceUsage().maxRSS,
    baselineRssKb,
    outcome: first?.outcome === 'failed' ? `failed: ${first.error}` : first?.outcome,
    bytes: first?.outcome === 'archived' ? first.bytes : 0,
  }),
);
process.exit(0);
