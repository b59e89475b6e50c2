/**
 * The node's error codes (`ModuleException.Code`), plus METHOD_NOT_ALLOWED from the router. A
 * network failure (no answer at all) is reported as UNAVAILABLE with `status` 0.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'UNIMPLEMENTED'
  | 'DATA_LOSS'
  | 'INTERNAL'
  | 'METHOD_NOT_ALLOWED';

/** What the node answers on failure: `{code, message, details}` (docs/api.md, "Errors"). */
export interface ErrorBody {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * A call the node refused, or that never reached it. `message` is in the caller's language when
 * the node has a translation; `code` and `details` never change with the language, so branch on
 * them, not on the text.
 */
export class HearthError extends Error {
  /** The node's code, e.g. INVALID_ARGUMENT. */
  readonly code: ErrorCode;
  /** The HTTP status (0 when the node was not reached). */
  readonly status: number;
  /** Everything the node put in `details`, as strings. */
  readonly details: Readonly<Record<string, string>>;
  /**
   * `details` as the node sent them, values not turned into strings: a list stays a list (the
   * problems of a refused user-module definition, each with its path and message).
   */
  readonly detailValues: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, status = 0, details: Record<string, string> = {},
    detailValues: Record<string, unknown> = details) {
    super(message);
    this.name = 'HearthError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.detailValues = detailValues;
  }

  /** The request field at fault (lowerCamel as in bodies, e.g. `name` or `totpCode`; the proto name is `details.protoField`), when the node named one. */
  get field(): string | undefined {
    return this.details.field;
  }

  /** Seconds to wait before trying again (rate limits, a busy node), when the node said so. */
  get retryAfterSeconds(): number | undefined {
    const s = this.details.retryAfterSeconds;
    return s === undefined ? undefined : Number(s);
  }

  /** A log-in of an account with TOTP on needs `totpCode`: ask for it and log in again. */
  get totpRequired(): boolean {
    return this.details.totpRequired === 'true';
  }

  /**
   * A single sign-on found an existing account with the same email: it is linked only when the
   * caller gives that account's password (CompleteSso again with `password`).
   */
  get linkRequired(): boolean {
    return this.details.linkRequired === 'true';
  }

  /** Builds the error from a failed answer's status, JSON body (if any) and `Retry-After` header. */
  static fromResponse(status: number, body: ErrorBody | undefined, retryAfter: string | null): HearthError {
    const details: Record<string, string> = {};
    for (const [k, v] of Object.entries(body?.details ?? {})) details[k] = typeof v === 'string' ? v : JSON.stringify(v);
    if (retryAfter !== null && details.retryAfterSeconds === undefined) details.retryAfterSeconds = retryAfter;
    const code = (body?.code ?? codeForStatus(status)) as ErrorCode;
    const values: Record<string, unknown> = { ...(body?.details ?? {}) };
    if (values.retryAfterSeconds === undefined && details.retryAfterSeconds !== undefined) values.retryAfterSeconds = details.retryAfterSeconds;
    return new HearthError(code, body?.message ?? `HTTP ${status}`, status, details, values);
  }
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'INVALID_ARGUMENT';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'NOT_FOUND';
    case 409: return 'ALREADY_EXISTS';
    case 412: return 'FAILED_PRECONDITION';
    case 413: case 429: return 'RESOURCE_EXHAUSTED';
    case 501: return 'UNIMPLEMENTED';
    case 503: return 'UNAVAILABLE';
    default: return 'INTERNAL';
  }
}
