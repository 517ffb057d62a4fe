/**
 * `npm run backup [-- --out <dir>]`: a consistent backup of the running local stack (the table,
 * both buckets, the PII hash key) into `<dir>` (default `backups/<timestamp>/`), with a manifest of
 * SHA-256s. Restore it with `npm run restore -- <dir>`. local/backup.ts says how it stays
 * consistent while the stack runs; docs/local.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { useRunningStackEnv } from '../local/connect';
import { createClients } from '../local/emulators';
import { createBackup } from '../local/backup';
import { ENV } from '../shared/config/env';
import { ARCHIVE_BUCKET, DOCUMENTS_BUCKET } from '../shared/storage/definitions';

const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = resolve(outArg >= 0 && args[outArg + 1] ? (args[outArg + 1] as string) : `backups/${new Date().toISOString().replace(/[:.]/g, '-')}`);
if (existsSync(out) && readdirSync(out).length > 0) {
  console.error(`${out} is not empty: choose another --out`);
  process.exit(2);
}
useRunningStackEnv();
const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const clients = createClients({ dynamodbEndpoint: env(ENV.dynamodbEndpoint), s3Endpoint: env(ENV.s3Endpoint), region: env(ENV.region) });
try {
  const manifest = await createBackup(
    {
      dynamodb: clients.dynamodb,
      s3: clients.s3,
      tableName: env(ENV.tableName),
      documentsBucket: env(DOCUMENTS_BUCKET.envVar),
      archiveBucket: env(ARCHIVE_BUCKET.envVar),
      piiHashKey: process.env[ENV.piiHashKey],
    },
    out,
    { log: (line) => console.log(line) },
  );
  const { documents, archive } = manifest.buckets;
  console.log(
    `Backup written to ${out}: ${manifest.table.items} items (${manifest.cases.length} cases), ${documents.objects.length} documents, ${archive.objects.length} archive files; manifest.json lists every file with its SHA-256.`,
  );
} finally {
  clients.destroy();
}
