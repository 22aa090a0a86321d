/**
 * One error hierarchy for the whole domain. The API maps these to Svix's error bodies
 * (`{code, detail}`, or `{detail: [{loc, msg, type}]}` for 422); anything else is a bare 500.
 */

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export abstract class SluiceError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  override readonly name: string = this.constructor.name;
}

export class BadRequestError extends SluiceError {
  readonly status = 400;
  readonly code: 'generic_error' | 'limit_reached' | 'missing_payload' | 'invalid_json' | 'invalid_range';
  constructor(detail: string, code: BadRequestError['code'] = 'generic_error') {
    super(detail);
    this.code = code;
  }
}

export class AuthenticationError extends SluiceError {
  readonly status = 401;
  readonly code = 'authentication_failed';
  constructor(detail = 'Invalid token') {
    super(detail);
  }
}

export class ForbiddenError extends SluiceError {
  readonly status = 403;
  readonly code = 'insufficient_access';
  constructor(detail = 'Insufficient access for the given operation') {
    super(detail);
  }
}

export class NotFoundError extends SluiceError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(detail = 'Entity not found') {
    super(detail);
  }
}

export class MethodNotAllowedError extends SluiceError {
  readonly status = 405;
  readonly code = 'method_not_allowed';
  constructor(detail = 'Method not allowed') {
    super(detail);
  }
}

export class ConflictError extends SluiceError {
  readonly status = 409;
  readonly code: 'conflict' | 'event_type_exists';
  constructor(detail: string, code: ConflictError['code'] = 'conflict') {
    super(detail);
    this.code = code;
  }
}

export class PayloadTooLargeError extends SluiceError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  constructor(detail = 'Request payload is too large') {
    super(detail);
  }
}

export class ValidationError extends SluiceError {
  readonly status = 422;
  readonly code = 'validation';
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.issues = issues;
  }

  static at(loc: (string | number)[], msg: string, type = 'value_error'): ValidationError {
    return new ValidationError([{ loc, msg, type }]);
  }
}

export class RateLimitedError extends SluiceError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(detail = 'Too many requests') {
    super(detail);
  }
}
