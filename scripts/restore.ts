/**
 * `npm run restore -- <backupDir> [--data-dir <dir>]`: restores a backup made by `npm run backup`
 * into a fresh data folder (default `.data`, which must not hold a table or objects yet: stop the
 * stack and move the old one aside), then checks it: every case's audit chain, and the fixity of
 * every archive package (the checks of `npm run audit:verify` and `npm run archive:verify`).
 * Exits 1 if a check fails. Then `npm start` serves the restored registry.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readBackup, restoreBackup } from '../local/backup';
import { verifyRestored } from '../local/backup-verify';
import { createClients, startDynamoDbLocal, startS3Local } from '../local/emulators';
import { markCleanStop } from '../local/s3-heal';
import { LOCAL_ARCHIVE_BUCKET_NAME, LOCAL_BUCKET_NAME, LOCAL_REGION, LOCAL_TABLE_NAME } from '../local/stack';

const args = process.argv.slice(2);
const dataArg = args.indexOf('--data-dir');
const from = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--data-dir');
if (!from) {
  console.error('usage: npm run restore -- <backupDir> [--data-dir <dir>]');
  process.exit(2);
}
const dataDir = resolve(dataArg >= 0 && args[dataArg + 1] ? (args[dataArg + 1] as string) : (process.env.XF_DATA_DIR ?? '.data'));
for (const part of ['dynamodb', 's3']) {
  const dir = join(dataDir, part);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    console.error(`${dir} holds data: restore into a fresh data folder (stop the stack, move ${dataDir} aside, or pass --data-dir).`);
    process.exit(2);
  }
}
const manifest = readBackup(resolve(from)); // every file checked against its SHA-256 before anything is written
mkdirSync(dataDir, { recursive: true });
const ddb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
const s3 = await startS3Local({ directory: join(dataDir, 's3') });
const clients = createClients({ dynamodbEndpoint: ddb.endpoint, s3Endpoint: s3.endpoint, region: LOCAL_REGION });
let failed = 0;
try {
  const restored = await restoreBackup(resolve(from), {
    dynamodb: clients.dynamodb,
    s3: clients.s3,
    tableName: LOCAL_TABLE_NAME,
    documentsBucket: LOCAL_BUCKET_NAME,
    archiveBucket: LOCAL_ARCHIVE_BUCKET_NAME,
  });
  // Already checked against the manifest by readBackup.
  if (manifest.piiHashKey) writeFileSync(join(dataDir, 'pii-hash-key'), readFileSync(join(resolve(from), manifest.piiHashKey.file)), { mode: 0o600 });
  console.log(`Restored ${restored.items} items and ${restored.objects} objects into ${dataDir}.`);

  // The checks, on the restored data, as `npm run audit:verify` and `npm run archive:verify` make them.
  const report = await verifyRestored(
    { dynamodb: clients.dynamodb, s3: clients.s3, tableName: LOCAL_TABLE_NAME, documentsBucket: LOCAL_BUCKET_NAME, archiveBucket: LOCAL_ARCHIVE_BUCKET_NAME },
    manifest.cases,
  );
  for (const line of report.lines) console.log(line);
  failed = report.failures;
} finally {
  clients.destroy();
  await s3.stop();
  markCleanStop(join(dataDir, 's3'));
  await ddb.stop();
}
console.log(
  failed === 0
    ? 'Restore verified: every audit chain intact, every archived file matches its manifest. Start it with `npm start`.'
    : `Restore FAILED its checks (${failed} problem(s)).`,
);
process.exit(failed === 0 ? 0 : 1);
