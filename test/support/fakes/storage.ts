/**
 * The buckets in memory: DocumentStorage (the working bucket: presigned uploads that S3 would
 * check against their policy, downloads, the upload check's one read, quarantine), ArchiveStorage
 * (server-side copies in, re-reads with SHA-256 and PDF pages, Object Lock recorded per object)
 * and ArchiveDisposal (nothing destroyed while any object of the package is still locked).
 */
import { createHash } from 'node:crypto';
import { RetentionNotEndedError, type ArchiveDisposal, type ArchivedObject, type ArchiveStorage, type ObjectLock } from '../../../shared/app/archive-ports';
import type { DocumentStorage, ObjectInspection, PresignedPost } from '../../../shared/app/ports';
import { MAGIC_BYTES_NEEDED } from '../../../shared/domain/filetypes';
import { PdfPageCounter } from '../../../shared/domain/pdf-pages';
import { S3_PREFIX } from '../../../shared/storage/definitions';
import { tick } from './state';

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
  lock?: ObjectLock;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The objects of the run's buckets, by bucket and key. */
export class FakeBuckets {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  bucket(name: string): Map<string, StoredObject> {
    let b = this.buckets.get(name);
    if (!b) {
      b = new Map();
      this.buckets.set(name, b);
    }
    return b;
  }

  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  set(bucket: string, key: string, object: StoredObject): void {
    this.bucket(bucket).set(key, { ...object, bytes: new Uint8Array(object.bytes) });
  }

  delete(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.delete(key) ?? false;
  }

  /** The keys of a bucket in binary order, as S3 lists them. */
  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** What a presigned POST allows, as the policy of S3DocumentStorage fixes it. */
interface UploadPolicy {
  key: string;
  contentType: string;
  size: number;
  expiresAt: number;
}

export class FakeDocumentStorage implements DocumentStorage {
  private readonly policies = new Map<string, UploadPolicy>();
  private serial = 0;

  constructor(
    readonly buckets: FakeBuckets,
    readonly bucket = 'documents',
    /** The instant presigned links are timed from (the use case's clock). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presignUpload(input: { key: string; contentType: string; size: number; expiresInSec: number }): Promise<PresignedPost> {
    await tick();
    const policy = `policy-${++this.serial}`;
    const expiresAt = this.now().getTime() + input.expiresInSec * 1000;
    this.policies.set(policy, { key: input.key, contentType: input.contentType, size: input.size, expiresAt });
    return {
      url: `memory://${this.bucket}/`,
      fields: { key: input.key, 'Content-Type': input.contentType, policy },
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /**
   * What the browser does with a presigned POST: S3 takes the bytes only under the policy's key,
   * with its content type and exact size, before it expires; otherwise it refuses (throws).
   */
  async upload(post: PresignedPost, bytes: Uint8Array, contentType = post.fields['Content-Type'] ?? ''): Promise<void> {
    await tick();
    const policy = this.policies.get(post.fields.policy ?? '');
    if (!policy || policy.key !== post.fields.key) throw new Error('AccessDenied: no such policy');
    if (this.now().getTime() > policy.expiresAt) throw new Error('AccessDenied: the policy expired');
    if (contentType !== policy.contentType) throw new Error('AccessDenied: Content-Type does not match the policy');
    if (bytes.byteLength !== policy.size) throw new Error('EntityTooSmall/EntityTooLarge: content-length-range');
    this.buckets.set(this.bucket, policy.key, { bytes, contentType });
  }

  async presignDownload(input: { key: string; fileName: string; contentType: string; expiresInSec: number }): Promise<string> {
    await tick();
    const expires = Math.floor(this.now().getTime() / 1000) + input.expiresInSec;
    return `memory://${this.bucket}/${input.key}?response-content-disposition=${encodeURIComponent(`attachment; filename*=UTF-8''${encodeURIComponent(input.fileName)}`)}&expires=${expires}`;
  }

  async inspect(key: string): Promise<ObjectInspection | null> {
    await tick();
    const o = this.buckets.get(this.bucket, key);
    if (!o) return null;
    return { size: o.bytes.byteLength, firstBytes: o.bytes.slice(0, MAGIC_BYTES_NEEDED), sha256: sha256(o.bytes), contentType: o.contentType };
  }

  async quarantine(key: string): Promise<string> {
    await tick();
    const from = [S3_PREFIX.uploads, S3_PREFIX.verified].find((p) => key.startsWith(p));
    const target = `${S3_PREFIX.quarantine}${from ? key.slice(from.length) : key}`;
    const o = this.buckets.get(this.bucket, key);
    if (!o) throw new Error(`NoSuchKey: ${key}`);
    this.buckets.set(this.bucket, target, o);
    this.buckets.delete(this.bucket, key);
    return target;
  }

  async copy(sourceKey: string, targetKey: string): Promise<boolean> {
    await tick();
    const o = this.buckets.get(this.bucket, sourceKey);
    if (!o) return false;
    this.buckets.set(this.bucket, targetKey, o);
    return true;
  }

  async remove(key: string): Promise<void> {
    await tick();
    this.buckets.delete(this.bucket, key);
  }

  /** The keys under a prefix in key order, as ListObjectsV2 gives them (1,000 a page). */
  async list(prefix: string, cursor?: string): Promise<{ keys: string[]; cursor?: string }> {
    await tick();
    const keys = this.buckets.keys(this.bucket).filter((k) => k.startsWith(prefix) && (cursor === undefined || k > cursor));
    const page = keys.slice(0, 1000);
    return { keys: page, cursor: keys.length > page.length ? page.at(-1) : undefined };
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await tick();
    this.buckets.set(this.bucket, key, { bytes, contentType });
  }

  /** An object's bytes, or null (OcrFiles). */
  async get(key: string): Promise<Uint8Array | null> {
    await tick();
    const o = this.buckets.get(this.bucket, key);
    return o ? o.bytes.slice() : null;
  }
}

export class FakeArchiveStorage implements ArchiveStorage {
  constructor(
    readonly buckets: FakeBuckets,
    readonly archiveBucket = 'archive',
    readonly documentsBucket = 'documents',
  ) {}

  async copyIn(sourceKey: string, target: string, lock: ObjectLock): Promise<void> {
    await tick();
    const o = this.buckets.get(this.documentsBucket, sourceKey);
    if (!o) throw Object.assign(new Error(`NoSuchKey: ${sourceKey}`), { name: 'NoSuchKey' });
    this.buckets.set(this.archiveBucket, target, { ...o, lock });
  }

  async put(target: string, bytes: Uint8Array, contentType: string, lock: ObjectLock): Promise<void> {
    await tick();
    this.buckets.set(this.archiveBucket, target, { bytes, contentType, lock });
  }

  async head(target: string): Promise<{ size: number } | null> {
    await tick();
    const o = this.buckets.get(this.archiveBucket, target);
    return o ? { size: o.bytes.byteLength } : null;
  }

  async inspect(target: string, options: { pages?: boolean } = {}): Promise<ArchivedObject | null> {
    await tick();
    const o = this.buckets.get(this.archiveBucket, target);
    return o ? digest(o.bytes, options.pages ?? false) : null;
  }

  async read(target: string, maxBytes: number): Promise<Uint8Array | null> {
    await tick();
    const o = this.buckets.get(this.archiveBucket, target);
    if (!o) return null;
    if (o.bytes.byteLength > maxBytes) throw new Error(`${target} is larger than ${maxBytes} bytes`);
    return new Uint8Array(o.bytes);
  }

  async presignDownload(target: string, fileName: string, _contentType: string, expiresInSec: number): Promise<string> {
    await tick();
    return `memory://${this.archiveBucket}/${target}?filename=${encodeURIComponent(fileName)}&expiresIn=${expiresInSec}`;
  }

  async inspectOriginal(sourceKey: string): Promise<ArchivedObject | null> {
    await tick();
    const o = this.buckets.get(this.documentsBucket, sourceKey);
    return o ? digest(o.bytes, false) : null;
  }

  async deleteOriginal(sourceKey: string): Promise<void> {
    await tick();
    this.buckets.delete(this.documentsBucket, sourceKey);
  }
}

function digest(bytes: Uint8Array, pages: boolean): ArchivedObject {
  const counter = pages ? new PdfPageCounter() : undefined;
  counter?.push(Buffer.from(bytes));
  const count = counter?.result();
  const problem = counter?.problem;
  return {
    size: bytes.byteLength,
    sha256: sha256(bytes),
    ...(count !== undefined ? { pages: count } : {}),
    ...(problem !== undefined ? { pagesProblem: problem } : {}),
  };
}

/** Destroys a package's objects only when neither the package's retention nor any object's own lock holds. */
export class FakeArchiveDisposal implements ArchiveDisposal {
  constructor(
    readonly buckets: FakeBuckets,
    readonly archiveBucket = 'archive',
  ) {}

  async destroy(targets: string[], retentionEnds: Date, now: Date): Promise<void> {
    await tick();
    if (now.getTime() < retentionEnds.getTime()) throw new RetentionNotEndedError(targets[0] ?? '(package)', retentionEnds.toISOString());
    // Every object checked before any is deleted: nothing is destroyed if one is still locked.
    for (const target of targets) {
      const lock = this.buckets.get(this.archiveBucket, target)?.lock;
      if (lock && lock.retainUntil.getTime() > now.getTime()) throw new RetentionNotEndedError(target, lock.retainUntil.toISOString());
      if (lock?.legalHold) throw new RetentionNotEndedError(target, 'a legal hold is removed');
    }
    for (const target of targets) this.buckets.delete(this.archiveBucket, target);
  }
}
