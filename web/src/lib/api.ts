/**
 * The API client: JSON over fetch with the session's token, the case version as If-Match, an
 * Idempotency-Key for creates, and errors as ApiError carrying the API's field issues so a form
 * can show each message next to its field (and keep what was typed).
 */
import type { ErrorBody } from '@shared/http/errors';
import { expireSession, token } from './auth';
import { apiBase } from './config';
import { chineseDatesIn } from './format';
import { translateReason } from './messages';

export interface FieldIssue {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field → message (in Chinese where we know the reason), for the form that sent the request. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const i of this.issues) {
      const message = translateReason(i.reason);
      out[i.field] ??= message;
      // The API names a field by where it was sent (body.petitioners.0.name); forms by the field.
      out[i.field.replace(/^(body|query|params)\./, '')] ??= message;
    }
    return out;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** The case version read (ETag), for transitions. */
  ifMatch?: number;
  idempotencyKey?: string;
  /** Public routes send no token. */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  /** The case version in the ETag, when the route returns one. */
  version?: number;
}

const STATUS_MESSAGES: Record<number, string> = {
  401: '登录已过期，请重新登录（已填写的内容仍保留在本页）',
  403: '无权进行此操作',
  404: '未找到',
  409: '操作与当前状态冲突：案件可能已被他人更新，请刷新后重试',
  413: '文件过大',
  428: '缺少版本号，请刷新后重试',
  500: '服务器内部错误，请稍后重试',
  503: '服务暂不可用，请稍后重试',
};

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(`${apiBase()}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!options.anonymous) {
    const t = token();
    if (t) headers.authorization = `Bearer ${t}`;
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试（已填写的内容仍保留）');
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as Partial<ErrorBody> | undefined)?.error;
    if (res.status === 401 && !options.anonymous) expireSession();
    const issues = err?.issues ?? [];
    const message =
      res.status === 400 || res.status === 409 || res.status === 422
        ? translateReason(err?.message ?? STATUS_MESSAGES[res.status] ?? `请求失败（HTTP ${res.status}）`)
        : (STATUS_MESSAGES[res.status] ?? err?.message ?? `请求失败（HTTP ${res.status}）`);
    // The API writes dates as ISO; people read them as 2027年1月5日.
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, chineseDatesIn(message), issues, err?.details);
  }
  const etag = res.headers.get('etag');
  const version = etag ? Number(etag.replace(/[^0-9]/g, '')) : undefined;
  return { data: json as T, version: Number.isFinite(version) ? version : undefined };
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body: body ?? {} }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** `/cases/XF-2026-000001/…` with each segment encoded. */
export function casePath(caseNo: string, ...rest: string[]): string {
  return ['/cases', caseNo, ...rest].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

/**
 * Uploads one file with a presigned POST straight to S3 (never through the API), reporting
 * progress (0–1). XMLHttpRequest, because fetch has no upload progress.
 */
export function uploadPresignedPost(
  post: { url: string; fields: Record<string, string> },
  file: Blob,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', post.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve();
      } else reject(new ApiError(xhr.status, 'UPLOAD', `上传失败（HTTP ${xhr.status}）`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '上传失败：网络连接中断'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
