/**
 * One error shape for the whole platform: RFC 9457 problem details with a stable `code`.
 * Services throw DomainError; the RPC layer carries it as data; the gateway answers with it.
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_BODY = 'MALFORMED_BODY',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  SESSION_ENDED = 'SESSION_ENDED',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  CONFLICT = 'CONFLICT',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  INTERNAL = 'INTERNAL',
}

export interface FieldError {
  field: string;
  /** Sentences (English) for people, one per broken rule. */
  messages: string[];
  /**
   * The broken rules by name, in the order of `messages`, for clients that say them in their own
   * words: class-validator's constraint names (`isNotEmpty`, `maxLength`, `isUuid`, `matches`, `isIn`,
   * `min`, `isInt`, `whitelistValidation` for an unknown field, …), and for a service's own checks
   * of the domain a camelCase name of the rule (`refundAboveViolating`, `teamOfTwo`,
   * `stepNeedsDocument`, …; docs/architecture.md "Errors"). Stable: clients key their sentences on them.
   */
  codes?: string[];
  /**
   * The values a rule's sentence names, by code: the bounds of a class-validator rule when its
   * message gives them (`{ maxLength: { max: 200 } }`), and what a domain rule's sentence needs
   * (`{ refundAboveViolating: { refundedFen: 101, violatingFen: 100 } }`). Amounts are integer
   * fen in names ending `Fen`; dates are `YYYY-MM-DD`.
   */
  params?: Record<string, RuleParams>;
}

/** The values one broken rule names: `min`/`max` bounds, amounts (`…Fen`), counts, dates. */
export type RuleParams = Record<string, number | string>;

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  correlationId?: string;
  /** Per-field validation errors, when `code` is VALIDATION_FAILED. */
  errors?: FieldError[];
  /** Further machine-readable facts, e.g. the allowed next steps of a 409. */
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const PROBLEM_TYPE_BASE = 'https://lianban.gov.cn/problems/';

export function problemType(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  // Extensions never override the five members every client relies on.
  return { ...extensions, type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, code };
}

/** A rule of the domain was broken; carries everything the caller needs to see. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  toProblem(): ProblemDetails {
    return problem(this.status, this.code, this.message, this.extensions);
  }

  static fromProblem(p: ProblemDetails): DomainError {
    const { type: _t, title: _ti, status, code, detail, ...rest } = p;
    return new DomainError(status, code, detail, rest);
  }

  static notFound(what: string): DomainError {
    return new DomainError(404, ErrorCode.NOT_FOUND, `${what} was not found.`);
  }

  static validation(errors: FieldError[]): DomainError {
    const fields = errors.map((e) => e.field).join(', ');
    return new DomainError(400, ErrorCode.VALIDATION_FAILED, `The request has invalid fields: ${fields}.`, { errors });
  }
}

/** What a request/reply handler answers: data, or a problem. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: ProblemDetails };
