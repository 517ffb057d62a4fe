/**
 * A tiny HTTP client for tests: `api(baseUrl).post('/cases', body, { token })` →
 * `{ status, headers, json, text }`. Objects are sent as JSON; strings and bytes as they are.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read response bodies freely and assert on them */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** The parsed body when it is JSON, else undefined. */
  json: T;
  text: string;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

export type Body = undefined | string | Uint8Array | object;

export interface Api {
  baseUrl: string;
  request<T = any>(method: string, path: string, body?: Body, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T = any>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: Body, options?: RequestOptions): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: Body, options?: RequestOptions): Promise<ApiResponse<T>>;
  delete<T = any>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Called with every response (the end-to-end tests check the API contract with it: test/support/contract.ts). */
export type ResponseCheck = (
  method: string,
  url: string,
  status: number,
  body: unknown,
  isJson: boolean,
) => { operation: string; status: number; message: string } | undefined;

export function api(baseUrl: string, check?: ResponseCheck): Api {
  const request: Api['request'] = async (method, path, body, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Uint8Array | undefined;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      payload = body;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await res.text();
    let json: unknown;
    let isJson = false;
    if (/\bjson\b/i.test(res.headers.get('content-type') ?? '') && text !== '') {
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        json = undefined;
      }
    }
    const violation = check?.(method, new URL(path, baseUrl).toString(), res.status, json, isJson);
    if (violation) throw new Error(`API contract: ${method} ${path} → ${violation.status} (${violation.operation}): ${violation.message}`);
    return { status: res.status, headers: res.headers, json: json as never, text };
  };
  return {
    baseUrl,
    request,
    get: (path, options) => request('GET', path, undefined, options),
    post: (path, body, options) => request('POST', path, body, options),
    put: (path, body, options) => request('PUT', path, body, options),
    delete: (path, options) => request('DELETE', path, undefined, options),
  };
}
