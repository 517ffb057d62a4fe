/**
 * Domain errors. One base class; every subclass has a stable `code`, a `name`, keeps its
 * `cause`, and carries context. The HTTP status mapping lives in one place
 * (shared/http/errors.ts), never here.
 */
export type DomainErrorCode =
  | 'VALIDATION' // bad input (400)
  | 'FORBIDDEN' // the actor's role may not do this (403)
  | 'NOT_FOUND' // no such thing, or not visible to this actor (404)
  | 'CONFLICT' // stale version (409)
  | 'ILLEGAL_TRANSITION' // not allowed from the current state (409)
  | 'RULE_VIOLATION' // allowed in principle, but a rule forbids it now (409)
  | 'IDEMPOTENCY_MISMATCH' // same Idempotency-Key, different request (422)
  | 'PRECONDITION_REQUIRED' // a write without If-Match (428)
  | 'RATE_LIMITED' // too many requests of this kind for now (429, Retry-After)
  | 'UNAUTHENTICATED'; // missing or invalid token (401)

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

/** One field that failed validation, with the reason, for a 400 body. */
export interface FieldIssue {
  field: string;
  reason: string;
}

export class ValidationError extends DomainError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], message = 'Invalid input') {
    super('VALIDATION', message, { issues });
    this.name = 'ValidationError';
    this.issues = issues;
  }
  static field(field: string, reason: string): ValidationError {
    return new ValidationError([{ field, reason }], `${field}: ${reason}`);
  }

  /**
   * zod's issues as field issues: each field is `prefix.path.to.field`, or `root` (default
   * `(body)`) for an issue about the whole value; `skip` leading path segments are left out (a
   * value parsed inside a wrapper). `message` names the error (default `Invalid input`), or builds
   * it from the issues. The one translation of zod issues.
   */
  static fromZod(
    error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
    opts: { prefix?: string | undefined; root?: string; message?: string | ((issues: FieldIssue[]) => string); skip?: number } = {},
  ): ValidationError {
    const root = opts.root ?? '(body)';
    const issues = error.issues.map((i) => ({
      field: [opts.prefix, ...i.path.slice(opts.skip ?? 0).map(String)].filter((p) => p !== undefined && p !== '').join('.') || root,
      reason: i.message,
    }));
    return new ValidationError(issues, typeof opts.message === 'function' ? opts.message(issues) : opts.message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Your role may not do this', details: Record<string, unknown> = {}) {
    super('FORBIDDEN', message, details);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} not found`, { what, id });
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  constructor(message = 'The record was changed by someone else; reload and try again', details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('CONFLICT', message, details, options);
    this.name = 'ConflictError';
  }
}

/**
 * A number (a case number, a document number 文号) was taken by another write between reading its
 * series' counter and the transaction that takes it: nothing was written. The caller numbers
 * again from the counter and retries; numbers are only consumed by what is stored (gapless).
 */
export class NumberTakenError extends ConflictError {
  constructor(series: string, options?: { cause?: unknown }) {
    super('The number was taken by another registration or letter meanwhile; try again', { series }, options);
    this.name = 'NumberTakenError';
  }
}

export class IllegalTransitionError extends DomainError {
  constructor(action: string, from: string) {
    super('ILLEGAL_TRANSITION', `Cannot ${action} a case that is ${from}`, { action, from });
    this.name = 'IllegalTransitionError';
  }
}

export class RuleViolationError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('RULE_VIOLATION', message, details);
    this.name = 'RuleViolationError';
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required', options?: { cause?: unknown }) {
    super('UNAUTHENTICATED', message, {}, options);
    this.name = 'UnauthenticatedError';
  }
}

/** Too many requests of one kind (a limit of shared/domain/online.ts): refused, with when to try again. */
export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, details: Record<string, unknown> = {}) {
    super('RATE_LIMITED', message, { ...details, retryAfterSeconds });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
