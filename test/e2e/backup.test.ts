/**
 * Backup and restore of the local stack round-trip (issue 10 item 15): a stack with an archived
 * case and an open one with its scans and letters is backed up (local/backup.ts, as `npm run
 * backup`), restored into a fresh table and a fresh s3rver (as `npm run restore`), and on the
 * restored data every audit chain verifies and every archive package passes the fixity check (the
 * checks of `npm run audit:verify` and `npm run archive:verify`), with the same items and bytes.
 * A damaged backup is refused before anything is written; a target that holds data is refused.
 * And the backup is consistent where a naive copy is not: a letter whose object disappears
 * between the table export and the copy makes it start again, not save a letter without its PDF.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, readBackup, restoreBackup, type BackupSource } from '../../local/backup';
import { verifyRestored } from '../../local/backup-verify';
import { createClients, startS3Local, type LocalClients, type S3Local } from '../../local/emulators';
import { shanghaiDate } from '../../shared/domain/time';
import { uniqueName } from '../support/names';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { ifMatch, png, registration, scannedPdf, sha256, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;
let target: { s3: S3Local; clients: LocalClients; tableName: string; documentsBucket: string; archiveBucket: string };
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
  const s3 = await startS3Local({ directory: tempDir('xf-restore-s3-') });
  target = {
    s3,
    clients: createClients({ dynamodbEndpoint: stack.endpoints.dynamodb, s3Endpoint: s3.endpoint, region: 'cn-north-1' }),
    tableName: uniqueName('xf-restored'),
    documentsBucket: uniqueName('xf-restored-docs'),
    archiveBucket: uniqueName('xf-restored-arch'),
  };
}, 120_000);
afterAll(async () => {
  target?.clients.destroy();
  await target?.s3.stop();
  await stack?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const source = (): BackupSource => ({
  dynamodb: stack.clients.dynamodb,
  s3: stack.clients.s3,
  tableName: stack.tableName,
  documentsBucket: stack.bucketName,
  archiveBucket: stack.archiveBucketName,
  piiHashKey: stack.env.PII_HASH_KEY,
});

/** A case from registration to closed through the API (a scan, a response, the letters of its transitions). */
async function closedCase(label: string): Promise<string> {
  const api = stack.api;
  const scan = await scannedPdf(`${label} letter`);
  const reg = await api.post(
    '/cases',
    registration({
      subject: `请求协调解决拖欠工资问题（${label}）`,
      uploads: [{ kind: 'letter', contentType: 'application/pdf', size: scan.byteLength, fileName: `来信-${label}.pdf` }],
    }),
    { token: t.clerk },
  );
  expect(reg.status, reg.text).toBe(201);
  const caseNo: string = reg.json.case.caseNo;
  expect((await uploadPresignedPost(reg.json.uploads[0].upload, scan, { contentType: 'application/pdf' })).status).toBeLessThan(300);
  await stack.settled();
  let v: number = reg.json.case.version;
  const act = async (action: string, body: object, token: string) => {
    const r = await api.post(`/cases/${caseNo}/${action}`, body, { token, headers: ifMatch(v) });
    expect(r.status, `${action}: ${r.text}`).toBe(200);
    v = r.json.version;
    return r.json;
  };
  await act('accept', { warningsOverride: '同一信访人反映的另一事项' }, t.director);
  await act('assign', { deptCode: 'HRSS' }, t.director);
  const image = png();
  const up = await api.post(
    `/cases/${caseNo}/documents`,
    { kind: 'response', contentType: 'image/png', size: image.byteLength, fileName: `照片-${label}.png` },
    { token: t.hrss },
  );
  expect(up.status, up.text).toBe(201);
  expect((await uploadPresignedPost(up.json.upload, image, { contentType: 'image/png' })).status).toBeLessThan(300);
  await stack.settled();
  v = (await api.get(`/cases/${caseNo}`, { token: t.hrss })).json.version;
  await act(
    'answer',
    { request: '请求支付拖欠工资', facts: '经调查属实。', decision: '责令支付。', outcome: 'support', legalBasis: '《保障农民工工资支付条例》第三条' },
    t.hrss,
  );
  await act('approve-reply', {}, t.director);
  const delivered = await act('deliver', { deliveredOn: shanghaiDate(stack.clock.now()), method: 'post' }, t.clerk);
  stack.clock.set(`${delivered.clocks.reviewRequestWindow.due}T02:00:00Z`);
  stack.clock.advanceDays(1);
  await act('close', {}, t.clerk);
  return caseNo;
}

async function objects(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const entries = await Promise.all(
    (out.Contents ?? []).map(
      async (o) =>
        [
          o.Key ?? '',
          sha256(
            await (
              (
                await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }))
              ).Body as { transformToByteArray(): Promise<Uint8Array> }
            ).transformToByteArray(),
          ),
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}

describe('npm run backup, then npm run restore', () => {
  let archivedCase: string;
  let openCase: string;
  let backupDir: string;

  it('round-trips a stack with an archived case: same items and bytes, audit chains and fixity verified', async () => {
    archivedCase = await closedCase('archived');
    const run = await stack.api.post('/archive/run', { caseNos: [archivedCase] }, { token: t.archivist });
    expect(run.status, run.text).toBe(200);
    expect(run.json.cases[0]).toMatchObject({ caseNo: archivedCase, outcome: 'archived' });
    // An open case with a scan and the letters of its acceptance.
    const scan = await scannedPdf('open case');
    const reg = await stack.api.post(
      '/cases',
      registration({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: scan.byteLength, fileName: '来信.pdf' }] }),
      { token: t.clerk },
    );
    openCase = reg.json.case.caseNo;
    await uploadPresignedPost(reg.json.uploads[0].upload, scan, { contentType: 'application/pdf' });
    await stack.settled();
    expect((await stack.api.post(`/cases/${openCase}/accept`, {}, { token: t.director, headers: ifMatch(reg.json.case.version) })).status).toBe(200);

    backupDir = tempDir('xf-backup-');
    const manifest = await createBackup(source(), backupDir);
    expect(manifest.attempts).toBe(1);
    expect(manifest.cases).toEqual(expect.arrayContaining([archivedCase, openCase]));
    expect(manifest.buckets.archive.objects.some((o) => o.key.endsWith('/manifest.json'))).toBe(true);

    const restored = await restoreBackup(
      backupDir,
      target.clients && {
        dynamodb: target.clients.dynamodb,
        s3: target.clients.s3,
        tableName: target.tableName,
        documentsBucket: target.documentsBucket,
        archiveBucket: target.archiveBucket,
      },
    );
    expect(restored.items).toBe(manifest.table.items);
    const count = async (client: typeof stack.clients.dynamodb, TableName: string) =>
      (await client.send(new ScanCommand({ TableName, Select: 'COUNT' }))).Count;
    expect(await count(target.clients.dynamodb, target.tableName)).toBe(await count(stack.clients.dynamodb, stack.tableName));
    expect(await objects(target.clients.s3, target.documentsBucket)).toEqual(await objects(stack.clients.s3, stack.bucketName));
    expect(await objects(target.clients.s3, target.archiveBucket)).toEqual(await objects(stack.clients.s3, stack.archiveBucketName));

    const verified = await verifyRestored(
      {
        dynamodb: target.clients.dynamodb,
        s3: target.clients.s3,
        tableName: target.tableName,
        documentsBucket: target.documentsBucket,
        archiveBucket: target.archiveBucket,
      },
      manifest.cases,
    );
    expect(verified).toMatchObject({ failures: 0, cases: manifest.cases.length });
    expect(verified.packages).toBeGreaterThanOrEqual(1);
    expect(verified.files).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it('refuses a restore into a target that holds data, and a backup that does not match its manifest', async () => {
    await expect(
      restoreBackup(backupDir, {
        dynamodb: target.clients.dynamodb,
        s3: target.clients.s3,
        tableName: target.tableName,
        documentsBucket: target.documentsBucket,
        archiveBucket: target.archiveBucket,
      }),
    ).rejects.toThrow(/not empty/);
    const manifest = readBackup(backupDir);
    const letter = manifest.buckets.documents.objects[0];
    expect(letter).toBeDefined();
    writeFileSync(join(backupDir, letter?.file ?? ''), 'altered');
    expect(() => readBackup(backupDir)).toThrow(/damaged/);
  });

  it('starts again when a file the table names disappears during the copy, and fails rather than save a letter without its PDF', async () => {
    // The open case's letter (a verified document of a case not archived), removed while copying.
    const letterKey =
      (await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `verified/${openCase}/` }))).Contents?.[0]?.Key ?? '';
    expect(letterKey).not.toBe('');
    let listed = 0;
    const racing: BackupSource = {
      ...source(),
      s3: new Proxy(stack.clients.s3, {
        get(s3, prop, receiver) {
          if (prop !== 'send') return Reflect.get(s3, prop, receiver) as unknown;
          return async (command: { input: { Key?: string } } & object) => {
            if (command instanceof ListObjectsV2Command) listed += 1;
            // The first pass: the object vanishes between the listing and the copy.
            if (command instanceof GetObjectCommand && command.input.Key === letterKey && listed <= 2) {
              throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
            }
            return s3.send(command as never);
          };
        },
      }),
    };
    const manifest = await createBackup(racing, tempDir('xf-backup-race-'));
    expect(manifest.attempts).toBe(2);
    expect(manifest.buckets.documents.objects.map((o) => o.key)).toContain(letterKey);

    // Really gone: the backup fails, naming the case's letter, instead of keeping the item without it.
    await stack.clients.s3.send(new DeleteObjectCommand({ Bucket: stack.bucketName, Key: letterKey }));
    await expect(createBackup(source(), tempDir('xf-backup-missing-'))).rejects.toThrow(new RegExp(`documents/${letterKey}.*${openCase}`));
  }, 120_000);
});
