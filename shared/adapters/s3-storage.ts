/**
 * DocumentStorage over S3. Uploads are presigned POSTs whose policy fixes the key, the content
 * type and the size; downloads are short-lived presigned GETs; the upload check streams the
 * object once (no full copy in memory) to get its size, leading bytes and SHA-256.
 */
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DocumentStorage, ObjectInspection, PresignedPost } from '../app/ports';
import type { ReportDocuments } from '../app/report-ports';
import { MAGIC_BYTES_NEEDED } from '../domain/filetypes';
import { S3_PREFIX } from '../storage/definitions';

export class S3DocumentStorage implements DocumentStorage, ReportDocuments {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Presigning client: in a browser-facing setup it may use a public endpoint. */
    private readonly presigner: S3Client = s3,
  ) {}

  async presignUpload(input: { key: string; contentType: string; size: number; expiresInSec: number }): Promise<PresignedPost> {
    const post = await createPresignedPost(this.presigner, {
      Bucket: this.bucket,
      Key: input.key,
      Conditions: [
        ['eq', '$Content-Type', input.contentType],
        ['content-length-range', input.size, input.size],
      ],
      Fields: { 'Content-Type': input.contentType },
      Expires: input.expiresInSec,
    });
    return { url: post.url, fields: post.fields, expiresAt: new Date(Date.now() + input.expiresInSec * 1000).toISOString() };
  }

  async presignDownload(input: { key: string; fileName: string; contentType: string; expiresInSec: number }): Promise<string> {
    return getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ResponseContentType: input.contentType,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(input.fileName)}`,
      }),
      { expiresIn: input.expiresInSec },
    );
  }

  async inspect(key: string): Promise<ObjectInspection | null> {
    let out;
    try {
      out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    for await (const chunk of out.Body as Readable) {
      const buf = chunk as Buffer;
      hash.update(buf);
      size += buf.length;
      if (headBytes < MAGIC_BYTES_NEEDED) {
        head.push(buf.subarray(0, MAGIC_BYTES_NEEDED - headBytes));
        headBytes += Math.min(buf.length, MAGIC_BYTES_NEEDED - headBytes);
      }
    }
    return { size, firstBytes: new Uint8Array(Buffer.concat(head)), sha256: hash.digest('hex'), contentType: out.ContentType };
  }

  async quarantine(key: string): Promise<string> {
    const from = [S3_PREFIX.uploads, S3_PREFIX.verified].find((p) => key.startsWith(p));
    const target = `${S3_PREFIX.quarantine}${from ? key.slice(from.length) : key}`;
    await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: target, CopySource: this.copySource(key) }));
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return target;
  }

  async copy(sourceKey: string, targetKey: string): Promise<boolean> {
    try {
      await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: targetKey, CopySource: this.copySource(sourceKey), MetadataDirective: 'COPY' }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string, cursor?: string): Promise<{ keys: string[]; cursor?: string }> {
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: cursor }));
    return { keys: (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])), cursor: out.IsTruncated ? out.NextContinuationToken : undefined };
  }

  private copySource(key: string): string {
    return `${this.bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  /** A small object's bytes (a frozen report's JSON), or null when there is none. */
  async get(key: string): Promise<Uint8Array | null> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToByteArray() : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
