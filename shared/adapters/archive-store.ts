/**
 * The archive bucket over S3 (ArchiveStorage), and disposal (ArchiveDisposal).
 *
 * - Originals move with CopyObject, server-side: no file byte passes through the function. One
 *   CopyObject handles objects up to 5 GB; uploads are limited far below that (100 MB by
 *   default), so the multipart UploadPartCopy path is not needed (the service refuses larger
 *   originals with that explanation).
 * - Every archived object is re-read as a stream and hashed (SHA-256), never held in memory.
 * - In AWS (`objectLock` set) each object is written with its Object Lock retention in
 *   compliance mode, and permanent records also with a legal hold; PUTs carry their SHA-256 as
 *   x-amz-checksum-sha256, which S3 requires for writes with Object Lock parameters. Locally
 *   (s3rver has no Object Lock) nothing is sent, and immutability is the registry's own: this
 *   class has no delete or overwrite of an archived object, and disposal refuses anything still
 *   under retention.
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
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { RetentionNotEndedError, type ArchiveDisposal, type ArchivedObject, type ArchiveStorage, type ObjectLock } from '../app/archive-ports';
import { PdfPageCounter } from '../domain/pdf-pages';

export type ObjectLockMode = 'COMPLIANCE' | 'GOVERNANCE';

export interface S3ArchiveOptions {
  s3: S3Client;
  archiveBucket: string;
  /** The working bucket the originals come from (archive-run only). */
  documentsBucket?: string;
  /** Presigning client (a public endpoint in a browser-facing setup); default `s3`. */
  presigner?: S3Client;
  /** Set in AWS: archived objects get Object Lock retention in this mode. */
  objectLock?: ObjectLockMode;
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** `bucket/key` for CopySource, the key URL-encoded except its slashes. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}

async function digest(body: Readable, pages: boolean): Promise<ArchivedObject> {
  const hash = createHash('sha256');
  const counter = pages ? new PdfPageCounter() : undefined;
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    hash.update(buf);
    counter?.push(buf);
    size += buf.length;
  }
  const count = counter?.result();
  const problem = counter?.problem;
  return { size, sha256: hash.digest('hex'), ...(count !== undefined ? { pages: count } : {}), ...(problem !== undefined ? { pagesProblem: problem } : {}) };
}

export class S3ArchiveStore implements ArchiveStorage {
  private readonly s3: S3Client;
  private readonly bucket: string;
  private readonly presigner: S3Client;

  constructor(private readonly options: S3ArchiveOptions) {
    this.s3 = options.s3;
    this.bucket = options.archiveBucket;
    this.presigner = options.presigner ?? options.s3;
  }

  private get documents(): string {
    if (!this.options.documentsBucket) throw new Error('This archive store has no working bucket (only archive-run copies and removes originals)');
    return this.options.documentsBucket;
  }

  private lockParams(lock: ObjectLock) {
    if (!this.options.objectLock) return {};
    return {
      ObjectLockMode: this.options.objectLock,
      ObjectLockRetainUntilDate: lock.retainUntil,
      ...(lock.legalHold ? { ObjectLockLegalHoldStatus: 'ON' as const } : {}),
    };
  }

  async copyIn(sourceKey: string, target: string, lock: ObjectLock): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: target,
        CopySource: copySource(this.documents, sourceKey),
        MetadataDirective: 'COPY',
        ...this.lockParams(lock),
      }),
    );
  }

  async put(target: string, bytes: Uint8Array, contentType: string, lock: ObjectLock): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: target,
        Body: bytes,
        ContentType: contentType,
        ...this.lockParams(lock),
        ...(this.options.objectLock ? { ChecksumSHA256: createHash('sha256').update(bytes).digest('base64') } : {}),
      }),
    );
  }

  async head(target: string): Promise<{ size: number } | null> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: target }));
      return { size: Number(out.ContentLength ?? 0) };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  private async stream(bucket: string, key: string, pages: boolean): Promise<ArchivedObject | null> {
    let out;
    try {
      out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    return digest(out.Body as Readable, pages);
  }

  inspect(target: string, options: { pages?: boolean } = {}): Promise<ArchivedObject | null> {
    return this.stream(this.bucket, target, options.pages ?? false);
  }

  inspectOriginal(sourceKey: string): Promise<ArchivedObject | null> {
    return this.stream(this.documents, sourceKey, false);
  }

  async read(target: string, maxBytes: number): Promise<Uint8Array | null> {
    let out;
    try {
      out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: target }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    if (Number(out.ContentLength ?? 0) > maxBytes) throw new Error(`${target} is larger than ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of out.Body as Readable) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`${target} is larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  presignDownload(target: string, fileName: string, contentType: string, expiresInSec: number): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: target,
        ResponseContentType: contentType,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      }),
      { expiresIn: expiresInSec },
    );
  }

  async deleteOriginal(sourceKey: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.documents, Key: sourceKey }));
  }
}

/**
 * Destroys archived files whose retention has ended. The registry refuses first (the retention
 * end recorded for the package); in AWS each stored version is then checked for its own Object
 * Lock retention and legal hold and deleted by version (a plain DELETE would only add a delete
 * marker on a versioned bucket) — and S3 itself refuses to delete a version still under lock.
 */
export class S3ArchiveDisposal implements ArchiveDisposal {
  constructor(private readonly options: Pick<S3ArchiveOptions, 's3' | 'archiveBucket' | 'objectLock'>) {}

  async destroy(targets: string[], retainUntil: Date, now: Date): Promise<void> {
    const { s3, archiveBucket: Bucket } = this.options;
    if (now.getTime() < retainUntil.getTime()) throw new RetentionNotEndedError(targets[0] ?? '(package)', retainUntil.toISOString());
    if (!this.options.objectLock) {
      for (const Key of targets) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
      return;
    }
    const versions: { Key: string; VersionId: string }[] = [];
    for (const Key of targets) {
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const out = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: Key, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
        for (const v of [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])]) {
          if (v.Key === Key && v.VersionId) versions.push({ Key, VersionId: v.VersionId });
        }
        keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
        versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
      } while (keyMarker);
    }
    // Check every version before deleting any: nothing is destroyed if one is still locked.
    for (const v of versions) {
      const [retention, hold] = await Promise.all([
        s3.send(new GetObjectRetentionCommand({ Bucket, ...v })).catch((err: unknown) => (isLockAbsent(err) ? undefined : Promise.reject(err))),
        s3.send(new GetObjectLegalHoldCommand({ Bucket, ...v })).catch((err: unknown) => (isLockAbsent(err) ? undefined : Promise.reject(err))),
      ]);
      const until = retention?.Retention?.RetainUntilDate;
      if (until && until.getTime() > now.getTime()) throw new RetentionNotEndedError(v.Key, until.toISOString());
      if (hold?.LegalHold?.Status === 'ON') throw new RetentionNotEndedError(v.Key, 'a legal hold is removed');
    }
    for (const v of versions) await s3.send(new DeleteObjectCommand({ Bucket, ...v }));
  }
}

/** A delete marker, or a version written without a lock, has no retention or legal hold to read. */
function isLockAbsent(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? '';
  return name === 'NoSuchObjectLockConfiguration' || name === 'ObjectLockConfigurationNotFoundError' || name === 'MethodNotAllowed' || isMissing(err);
}
