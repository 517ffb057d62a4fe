/**
 * Uploading files to the presigned POSTs the API hands out (POST /cases with `uploads`, or
 * POST /cases/{caseNo}/documents): straight from the browser to S3, with progress per file.
 */
import type { UploadRequest } from '@shared/domain/case';
import { ApiError, uploadPresignedPost } from './api';

/**
 * One file's upload link, as the API returns it (shared/app/registry.ts `UploadLink`; repeated
 * here because importing the registry's module, even for types, drags the letters' font code
 * into the web's type check).
 */
export interface UploadLink {
  documentId: string;
  fileName: string;
  upload: { url: string; fields: Record<string, string>; expiresAt: string };
}

/** The content types the API accepts for uploads (shared/domain/case.ts UploadRequestSchema). */
export const UPLOAD_CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Scans: PDF, JPEG, PNG, TIFF. */
export const SCAN_EXTENSIONS = ['pdf', 'jpg', 'jpeg', 'png', 'tif', 'tiff'];

/**
 * The content type to declare for a file: its extension decides (browsers report TIFF and
 * Office files inconsistently, and the API accepts a fixed list); undefined when not accepted.
 */
export function contentTypeOf(file: { name: string; type: string }, extensions: string[] = Object.keys(UPLOAD_CONTENT_TYPES)): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (ext && extensions.includes(ext)) return UPLOAD_CONTENT_TYPES[ext];
  const byType = Object.entries(UPLOAD_CONTENT_TYPES).find(([e, t]) => t === file.type && extensions.includes(e));
  return byType?.[1];
}

/** The upload request the API expects for one file. */
export function uploadRequestOf(file: File, kind: UploadRequest['kind']): UploadRequest {
  return {
    kind,
    contentType: (contentTypeOf(file) ?? 'application/pdf') as UploadRequest['contentType'],
    size: file.size,
    // The API trims and limits names to 200 characters.
    fileName: file.name.trim().slice(-200) || 'scan',
  };
}

export interface UploadOutcome {
  fileIndex: number;
  fileName: string;
  documentId?: string;
  ok: boolean;
  /** Why the upload failed (Chinese), or that there was no link for it. */
  error?: string;
}

/**
 * Matches each file to its link: by file name, in order (a replayed registration returns only
 * the links still pending, so positions may differ), else by position.
 */
export function matchLinks(links: UploadLink[], files: File[]): (UploadLink | undefined)[] {
  const used = new Set<number>();
  const byName = files.map((f) => {
    const i = links.findIndex((l, j) => !used.has(j) && l.fileName === f.name.trim().slice(-200));
    if (i >= 0) used.add(i);
    return i;
  });
  return byName.map((i, k) => {
    if (i >= 0) return links[i];
    if (links.length === files.length && !used.has(k)) {
      used.add(k);
      return links[k];
    }
    return undefined;
  });
}

/**
 * Uploads every file to its link, a few at a time, reporting progress (0–1) per file. Never
 * throws: each file's outcome says whether it arrived, so the caller can show and retry.
 */
export async function uploadAll(
  links: UploadLink[],
  files: File[],
  onProgress?: (fileIndex: number, fraction: number) => void,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<UploadOutcome[]> {
  const matched = matchLinks(links, files);
  const outcomes: UploadOutcome[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= files.length) return;
      const file = files[i] as File;
      const link = matched[i];
      if (!link) {
        outcomes[i] = { fileIndex: i, fileName: file.name, ok: false, error: '没有此文件的上传链接（可能已上传过）' };
        continue;
      }
      try {
        onProgress?.(i, 0);
        await uploadPresignedPost(link.upload, file, (f) => onProgress?.(i, f), options.signal);
        outcomes[i] = { fileIndex: i, fileName: file.name, documentId: link.documentId, ok: true };
      } catch (e) {
        const error = e instanceof ApiError ? e.message : '上传失败';
        outcomes[i] = { fileIndex: i, fileName: file.name, documentId: link.documentId, ok: false, error };
      }
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 3, files.length));
  await Promise.all(Array.from({ length: n }, worker));
  return outcomes;
}
