/**
 * The archive's S3 adapter as it talks to AWS (aws-sdk-client-mock: request shapes, no network):
 * Object Lock on every archived object, checksums S3 requires with it, and disposal that reads
 * each version's lock before deleting anything, by version.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ArchiveDisposal, S3ArchiveStore } from '../../../shared/adapters/archive-store';
import { RetentionNotEndedError, type ArchiveStorage } from '../../../shared/app/archive-ports';

const s3 = new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(s3);
beforeEach(() => mock.reset());

const lock = { retainUntil: new Date('2057-01-01T00:00:00+08:00'), legalHold: false };
const aws = new S3ArchiveStore({ s3, archiveBucket: 'archive', documentsBucket: 'documents', objectLock: 'COMPLIANCE' });
const local = new S3ArchiveStore({ s3, archiveBucket: 'archive', documentsBucket: 'documents' });

describe('the archive store', () => {
  it('copies an original server-side with its Object Lock retention (compliance mode)', async () => {
    mock.on(CopyObjectCommand).resolves({});
    await aws.copyIn('uploads/XF-2026-000001/d 1', 'packages/X001-2026-D30-0001/originals/001-d.pdf', lock);
    await aws.copyIn('generated/XF-2026-000001/d2.pdf', 'packages/X001-2026-Y-0001/originals/002-d2.pdf', { ...lock, legalHold: true });
    const [first, second] = mock.commandCalls(CopyObjectCommand).map((c) => c.args[0].input);
    expect(first).toEqual({
      Bucket: 'archive',
      Key: 'packages/X001-2026-D30-0001/originals/001-d.pdf',
      CopySource: 'documents/uploads/XF-2026-000001/d%201',
      MetadataDirective: 'COPY',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: lock.retainUntil,
    });
    expect(second).toMatchObject({ ObjectLockLegalHoldStatus: 'ON' });
  });

  it('writes new files with their SHA-256 as the checksum S3 requires for writes with Object Lock', async () => {
    mock.on(PutObjectCommand).resolves({});
    const bytes = new TextEncoder().encode('{"format":"xf-archive-manifest/1"}');
    await aws.put('packages/X001-2026-D30-0001/manifest.json', bytes, 'application/json', lock);
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'archive',
      ContentType: 'application/json',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: lock.retainUntil,
      ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
    });
  });

  it('sends no Object Lock parameters where the emulator has no Object Lock', async () => {
    mock.on(CopyObjectCommand).resolves({}).on(PutObjectCommand).resolves({});
    await local.copyIn('uploads/a/b', 'packages/x/originals/001-b.pdf', lock);
    await local.put('packages/x/metadata.json', new Uint8Array([1]), 'application/json', lock);
    for (const input of [mock.commandCalls(CopyObjectCommand)[0]?.args[0].input, mock.commandCalls(PutObjectCommand)[0]?.args[0].input]) {
      expect(Object.keys(input ?? {}).filter((k) => k.startsWith('ObjectLock') || k.startsWith('Checksum'))).toEqual([]);
    }
  });

  it('hashes an archived object as it streams, and reads a missing one as missing', async () => {
    const chunks = [Buffer.from('%PDF-1.4 '), Buffer.from('<< /Type /Pages /Count 3 >>')];
    mock.on(GetObjectCommand, { Key: 'packages/x/originals/001-a.pdf' }).resolves({ Body: Readable.from(chunks) as never });
    mock.on(GetObjectCommand, { Key: 'packages/x/gone' }).rejects(Object.assign(new Error('no'), { name: 'NoSuchKey' }));
    mock.on(HeadObjectCommand).rejects(Object.assign(new Error('no'), { name: 'NotFound' }));
    expect(await aws.inspect('packages/x/originals/001-a.pdf', { pages: true })).toEqual({
      size: 36,
      sha256: createHash('sha256').update(Buffer.concat(chunks)).digest('hex'),
      pages: 3,
    });
    expect(await aws.inspect('packages/x/gone')).toBeNull();
    expect(await aws.head('packages/x/gone')).toBeNull();
  });

  it('reports a PDF whose object stream is a compression bomb instead of inflating it whole', async () => {
    // Prepare: 600 KB of FlateDecode that inflates to 128 MB, streamed in 64 KB chunks.
    const data = deflateSync(Buffer.alloc(128 * 1024 * 1024, 0x20), { level: 1 });
    const file = Buffer.concat([
      Buffer.from(`%PDF-1.7\n1 0 obj << /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`),
      data,
      Buffer.from('\nendstream\nendobj\n'),
    ]);
    const chunks = Array.from({ length: Math.ceil(file.length / 65536) }, (_, i) => file.subarray(i * 65536, (i + 1) * 65536));
    mock.on(GetObjectCommand, { Key: 'packages/x/originals/002-bomb.pdf' }).resolves({ Body: Readable.from(chunks) as never });

    // Act
    const got = await aws.inspect('packages/x/originals/002-bomb.pdf', { pages: true });

    // Assess: hashed in full, no page count, and the reason.
    expect(got).toMatchObject({ size: file.length, sha256: createHash('sha256').update(file).digest('hex') });
    expect(got?.pages).toBeUndefined();
    expect(got?.pagesProblem).toMatch(/压缩炸弹/);
  });

  it('offers no way to delete or overwrite an archived object', () => {
    const methods = Object.getOwnPropertyNames(S3ArchiveStore.prototype);
    expect(methods.filter((m) => /delete|remove|destroy/i.test(m))).toEqual(['deleteOriginal']);
    const port: (keyof ArchiveStorage)[] = ['copyIn', 'put', 'head', 'inspect', 'read', 'presignDownload', 'inspectOriginal', 'deleteOriginal'];
    expect(methods.filter((m) => m !== 'constructor' && !m.startsWith('_')).sort()).toEqual(expect.arrayContaining(port.sort()));
  });

  it('removes originals only from the working bucket', async () => {
    mock.on(DeleteObjectCommand).resolves({});
    await aws.deleteOriginal('uploads/XF-2026-000001/d1');
    expect(mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'documents', Key: 'uploads/XF-2026-000001/d1' });
  });
});

describe('disposal', () => {
  const until = new Date('2036-12-31T16:00:00Z');
  const targets = ['packages/X001-2026-D10-0001/originals/001-a.pdf', 'packages/X001-2026-D10-0001/manifest.json'];

  it('refuses before the retention ends, without asking S3', async () => {
    const disposal = new S3ArchiveDisposal({ s3, archiveBucket: 'archive', objectLock: 'COMPLIANCE' });
    await expect(disposal.destroy(targets, until, new Date('2036-12-31T15:59:59Z'))).rejects.toBeInstanceOf(RetentionNotEndedError);
    expect(mock.calls()).toHaveLength(0);
    const localDisposal = new S3ArchiveDisposal({ s3, archiveBucket: 'archive' });
    await expect(localDisposal.destroy(targets, until, new Date('2030-01-01T00:00:00Z'))).rejects.toThrow(/under retention until 2036-12-31T16:00:00.000Z/);
    expect(mock.calls()).toHaveLength(0);
  });

  it('deletes nothing when any stored version is still locked', async () => {
    mock.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({
      Versions: [
        { Key: input.Prefix, VersionId: 'v1' },
        { Key: input.Prefix, VersionId: 'v2' },
      ],
    }));
    mock.on(GetObjectRetentionCommand).resolves({ Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } });
    mock.on(GetObjectRetentionCommand, { VersionId: 'v2' }).resolves({ Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date('2057-01-01T00:00:00Z') } });
    mock.on(GetObjectLegalHoldCommand).rejects(Object.assign(new Error('none'), { name: 'NoSuchObjectLockConfiguration' }));
    const disposal = new S3ArchiveDisposal({ s3, archiveBucket: 'archive', objectLock: 'COMPLIANCE' });
    await expect(disposal.destroy(targets, until, new Date('2037-01-02T00:00:00Z'))).rejects.toBeInstanceOf(RetentionNotEndedError);
    expect(mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('deletes every version (and delete marker) by version id once all locks have ended', async () => {
    mock.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({
      Versions: [
        { Key: input.Prefix, VersionId: 'v1' },
        { Key: `${input.Prefix}.other`, VersionId: 'x' },
      ],
      DeleteMarkers: [{ Key: input.Prefix, VersionId: 'm1' }],
    }));
    mock.on(GetObjectRetentionCommand).resolves({ Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } });
    mock.on(GetObjectLegalHoldCommand).resolves({ LegalHold: { Status: 'OFF' } });
    mock.on(DeleteObjectCommand).resolves({});
    const disposal = new S3ArchiveDisposal({ s3, archiveBucket: 'archive', objectLock: 'COMPLIANCE' });
    await disposal.destroy(targets, until, new Date('2037-01-02T00:00:00Z'));
    expect(mock.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'archive', Key: targets[0], VersionId: 'v1' },
      { Bucket: 'archive', Key: targets[0], VersionId: 'm1' },
      { Bucket: 'archive', Key: targets[1], VersionId: 'v1' },
      { Bucket: 'archive', Key: targets[1], VersionId: 'm1' },
    ]);
  });
});
