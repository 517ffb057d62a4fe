/**
 * Errors become HTTP responses here, and only here. Messages are exposed for 4xx; anything else
 * gets a fixed body, never a stack trace or a serialised error.
 */
import { DomainError, ValidationError, type DomainErrorCode } from '../domain/errors';

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
};

export interface ErrorBody {
  error: { code: string; message: string; issues?: { field: string; reason: string }[]; details?: Record<string, unknown> };
}

export function errorResponse(err: unknown): { statusCode: number; body: ErrorBody } {
  if (err instanceof ValidationError) {
    return { statusCode: 400, body: { error: { code: err.code, message: err.message, issues: err.issues } } };
  }
  if (err instanceof DomainError) {
    return { statusCode: STATUS_OF[err.code], body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  if (err instanceof Error && err.name === 'AuthUnavailableError') {
    return { statusCode: 503, body: { error: { code: 'AUTH_UNAVAILABLE', message: 'Sign-in is temporarily unavailable' } } };
  }
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } };
}
