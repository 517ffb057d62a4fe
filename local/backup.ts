/**
 * Backup and restore of the local stack (`npm run backup`, `npm run restore`; docs/local.md).
 *
 * A backup is a folder:
 *
 *   manifest.json                 format, time, table and buckets, every file with its SHA-256
 *   table.jsonl                   every item of the table, one per line, as DynamoDB JSON
 *   objects/documents/<key>       every object of the documents bucket
 *   objects/archive/<key>         every object of the archive bucket
 *   pii-hash-key                  the key of the keyed hashes (repeat detection and query codes need it)
 *
 * Consistent: the table is exported first (a Scan with consistent reads: this is a one-off
 * maintenance script, DESIGN §9), then the objects are copied. The registry writes a file before
 * the item that names it, so every file the exported items name was written before the export;
 * it can only be missing if it was removed meanwhile (the archive run removing originals it has
 * archived). So the backup then checks that every verified document of a case not archived has its
 * object, and every file of every archive manifest is there; if not, it starts again (three times
 * at most, then it fails naming what is missing). A naive copy of `.data` does not do that.
 *
 * A restore verifies every file against the manifest first, refuses a target that holds data,
 * writes the items and the objects, and the restore command then checks every case's audit chain
 * and the fixity of every archive package on the restored data.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ensureBuckets, ensureTable } from './emulators';

export const BACKUP_FORMAT = 'xf-backup/1';

const FileEntrySchema = z.object({ file: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const ObjectEntrySchema = FileEntrySchema.extend({ key: z.string(), contentType: z.string().optional() });

export const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  attempts: z.number().int().min(1),
  table: FileEntrySchema.extend({ name: z.string(), items: z.number().int().min(0) }),
  buckets: z.object({
    documents: z.object({ name: z.string(), objects: z.array(ObjectEntrySchema) }),
    archive: z.object({ name: z.string(), objects: z.array(ObjectEntrySchema) }),
  }),
  piiHashKey: FileEntrySchema.optional(),
  /** Case numbers in the table (for the audit check after a restore). */
  cases: z.array(z.string()),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export interface BackupSource {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  tableName: string;
  documentsBucket: string;
  archiveBucket: string;
  piiHashKey?: string;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** A key as a relative path under the backup folder; refuses keys that would leave it. */
function objectPath(bucket: 'documents' | 'archive', key: string): string {
  const rel = normalize(key);
  if (key === '' || rel.startsWith('..') || rel.startsWith(sep) || rel !== key) throw new Error(`Refusing object key ${JSON.stringify(key)}`);
  return join('objects', bucket, key);
}

async function scanAll(dynamodb: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function listAll(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    keys.push(...(out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
    ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return keys;
}

const str = (v: AttributeValue | undefined): string | undefined => (v && 'S' in v ? v.S : undefined);

/** What the exported items name that must be in the copied objects. */
function requiredObjects(items: Record<string, AttributeValue>[], copied: { documents: Map<string, Uint8Array>; archive: Map<string, Uint8Array> }): string[] {
  const missing: string[] = [];
  const archivedCases = new Set(items.filter((i) => str(i.sk) === '#CASE' && str(i.record?.M?.status) === 'archived').map((i) => str(i.pk)));
  for (const i of items) {
    if (str(i.entity) !== 'document' || !str(i.sk)?.startsWith('DOC#')) continue;
    const d = i.document?.M;
    if (str(d?.status) !== 'verified' || archivedCases.has(str(i.pk))) continue;
    const k = str(d?.key);
    if (k && !copied.documents.has(k)) missing.push(`documents/${k} (document ${str(d?.documentId) ?? '?'} of ${str(i.pk)?.slice(5) ?? '?'})`);
  }
  for (const [key, bytes] of copied.archive) {
    if (!key.endsWith('/manifest.json')) continue;
    const prefix = key.slice(0, -'manifest.json'.length);
    let files: { path?: string }[] = [];
    try {
      files = ((JSON.parse(Buffer.from(bytes).toString('utf8')) as { files?: { path?: string }[] }).files ?? []).filter((f) => typeof f.path === 'string');
    } catch {
      missing.push(`archive/${key} (unreadable manifest)`);
    }
    for (const f of files) if (!copied.archive.has(`${prefix}${f.path}`)) missing.push(`archive/${prefix}${f.path}`);
  }
  return missing;
}

/** Writes a consistent backup of the table and both buckets into `outDir` (which should be new or empty). */
export async function createBackup(
  source: BackupSource,
  outDir: string,
  options: { now?: () => Date; maxAttempts?: number; log?: (line: string) => void } = {},
): Promise<BackupManifest> {
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const items = await scanAll(source.dynamodb, source.tableName);
    const copied = { documents: new Map<string, Uint8Array>(), archive: new Map<string, Uint8Array>() };
    const types = new Map<string, string | undefined>();
    for (const [which, bucket] of [
      ['documents', source.documentsBucket],
      ['archive', source.archiveBucket],
    ] as const) {
      for (const key of await listAll(source.s3, bucket)) {
        try {
          const out = await source.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          copied[which].set(key, await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
          types.set(`${which}/${key}`, out.ContentType);
        } catch (error) {
          if ((error as { name?: string }).name !== 'NoSuchKey') throw error; // removed after the listing: checked below
        }
      }
    }
    const missing = requiredObjects(items, copied);
    if (missing.length > 0) {
      if (attempt < maxAttempts) {
        options.log?.(`attempt ${attempt}: ${missing.length} file(s) named by the table changed while copying; starting again`);
        continue;
      }
      throw new Error(`The backup is not consistent after ${attempt} attempts; missing:\n  ${missing.join('\n  ')}`);
    }

    const write = (rel: string, bytes: Uint8Array | string) => {
      const file = join(outDir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      return { file: rel.split(sep).join('/'), size: Buffer.byteLength(bytes), sha256: sha256(bytes) };
    };
    const lines = items
      .map((i) => JSON.stringify(i, (_k, v: unknown) => (v instanceof Uint8Array ? { $b64: Buffer.from(v).toString('base64') } : v)))
      .join('\n');
    const table = { name: source.tableName, items: items.length, ...write('table.jsonl', lines ? `${lines}\n` : '') };
    const objects = (which: 'documents' | 'archive') =>
      [...copied[which].entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, bytes]) => ({ key, contentType: types.get(`${which}/${key}`), ...write(objectPath(which, key), bytes) }));
    const cases = items
      .filter((i) => str(i.sk) === '#CASE' && str(i.pk)?.startsWith('CASE#'))
      .map((i) => (str(i.pk) ?? '').slice(5))
      .sort();
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: now().toISOString(),
      attempts: attempt,
      table,
      buckets: {
        documents: { name: source.documentsBucket, objects: objects('documents') },
        archive: { name: source.archiveBucket, objects: objects('archive') },
      },
      ...(source.piiHashKey ? { piiHashKey: write('pii-hash-key', `${source.piiHashKey}\n`) } : {}),
      cases,
    };
    writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  }
}

/** Reads a backup's manifest and checks every file it lists against its size and SHA-256. */
export function readBackup(dir: string): BackupManifest {
  const manifest = BackupManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const entries = [
    manifest.table,
    ...manifest.buckets.documents.objects,
    ...manifest.buckets.archive.objects,
    ...(manifest.piiHashKey ? [manifest.piiHashKey] : []),
  ];
  const bad = entries.filter((e) => {
    try {
      const bytes = readFileSync(join(dir, e.file));
      return bytes.byteLength !== e.size || sha256(bytes) !== e.sha256;
    } catch {
      return true;
    }
  });
  if (bad.length > 0) throw new Error(`The backup in ${dir} is damaged: ${bad.map((e) => e.file).join(', ')} missing or not matching the manifest`);
  return manifest;
}

export interface RestoreTarget {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  tableName: string;
  documentsBucket: string;
  archiveBucket: string;
}

/** Restores a (checked) backup into an empty table and empty buckets, creating them if absent. */
export async function restoreBackup(dir: string, target: RestoreTarget): Promise<{ manifest: BackupManifest; items: number; objects: number }> {
  const manifest = readBackup(dir);
  await ensureTable(target.dynamodb, target.tableName);
  await ensureBuckets(target.s3, [target.documentsBucket, target.archiveBucket]);
  const present = (await target.dynamodb.send(new ScanCommand({ TableName: target.tableName, Limit: 1 }))).Items ?? [];
  const objectsPresent = [...(await listAll(target.s3, target.documentsBucket)), ...(await listAll(target.s3, target.archiveBucket))];
  if (present.length > 0 || objectsPresent.length > 0)
    throw new Error('The restore target is not empty: restore into a fresh data folder (stop the stack and move .data aside first)');

  const text = readFileSync(join(dir, manifest.table.file), 'utf8');
  const items = text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line, (_k, v: unknown) =>
          v && typeof v === 'object' && '$b64' in v ? Buffer.from(String((v as { $b64: string }).$b64), 'base64') : v,
        ) as Record<string, AttributeValue>,
    );
  for (let i = 0; i < items.length; i += 25) {
    let requests: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      const out = await target.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [target.tableName]: requests } }));
      requests = out.UnprocessedItems?.[target.tableName] ?? [];
      if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt)));
    }
  }
  let objects = 0;
  for (const [which, bucket] of [
    ['documents', target.documentsBucket],
    ['archive', target.archiveBucket],
  ] as const) {
    for (const o of manifest.buckets[which].objects) {
      const body = readFileSync(join(dir, o.file));
      await target.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: o.key,
          Body: body,
          ContentLength: body.byteLength,
          ...(o.contentType ? { ContentType: o.contentType } : {}),
        }),
      );
      objects += 1;
    }
  }
  return { manifest, items: items.length, objects };
}
