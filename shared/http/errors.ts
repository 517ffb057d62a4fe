/**
 * Errors become HTTP responses here, and only here. Messages are exposed for 4xx; anything else
 * gets a fixed body, never a stack trace or a serialised error.
 */
import { DomainError, RateLimitedError, ValidationError, type DomainErrorCode } from '../domain/errors';

export const STATUS_OF: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  RULE_VIOLATION: 409,
  IDEMPOTENCY_MISMATCH: 422,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
};

/** Seconds a client should wait before retrying after a dependency fault (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  error: { code: string; message: string; issues?: { field: string; reason: string }[]; details?: Record<string, unknown> };
}

export function errorResponse(err: unknown): { statusCode: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof ValidationError) {
    return { statusCode: 400, body: { error: { code: err.code, message: err.message, issues: err.issues } } };
  }
  if (err instanceof RateLimitedError) {
    return {
      statusCode: 429,
      headers: { 'retry-after': String(err.retryAfterSeconds) },
      body: { error: { code: err.code, message: err.message, details: err.details } },
    };
  }
  if (err instanceof DomainError) {
    return { statusCode: STATUS_OF[err.code], body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  if (err instanceof Error && err.name === 'AuthUnavailableError') {
    return {
      statusCode: 503,
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      body: { error: { code: 'AUTH_UNAVAILABLE', message: 'Sign-in is temporarily unavailable' } },
    };
  }
  if (isDependencyFault(err)) {
    return {
      statusCode: 503,
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      body: {
        error: {
          code: 'DEPENDENCY_UNAVAILABLE',
          message: `A service the registry depends on is unavailable or too slow; retry in ${RETRY_AFTER_SECONDS} seconds`,
        },
      },
    };
  }
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } };
}

/** Error names of the AWS SDK (and Node) that mean "the dependency is down, slow or throttling": retryable. */
const FAULT_NAMES = new Set([
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalError',
  'SlowDown',
]);
/** Socket-level error codes: refused, reset, unreachable, name resolution. */
const FAULT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/**
 * Whether an error is a dependency fault (DynamoDB, S3, the secret store unreachable, timing out,
 * throttling, or answering 5xx) rather than a defect: the client may retry, so it is a 503 with
 * Retry-After, not a 500. Decided by the error's shape (no SDK import here), following `cause`.
 */
export function isDependencyFault(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  const e = err as Error & { code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (FAULT_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && FAULT_CODES.has(e.code)) return true;
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500 || e.$retryable !== undefined) return true;
  if (e instanceof AggregateError && e.errors.some((x) => isDependencyFault(x, depth + 1))) return true;
  return isDependencyFault(e.cause, depth + 1);
}
