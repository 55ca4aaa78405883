/**
 * Errors as data. Every failure the gateway can explain is a `GatewayError` with a `kind`;
 * the HTTP status, OpenAI `type` and default `code` follow from the kind in one table, so a
 * route never chooses a status by hand. The gateway's error handler is the only place that
 * turns one into a Response (workers/gateway/src/middleware/error-handler.ts).
 * Wire shape: https://platform.openai.com/docs/guides/error-codes
 */
export const ERROR_KINDS = {
  invalid_request: { status: 400, type: "invalid_request_error", code: "invalid_request" },
  invalid_json: { status: 400, type: "invalid_request_error", code: "invalid_json" },
  unauthorized: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  forbidden: { status: 403, type: "permission_error", code: "forbidden" },
  not_found: { status: 404, type: "invalid_request_error", code: "not_found" },
  model_not_found: { status: 404, type: "invalid_request_error", code: "model_not_found" },
  method_not_allowed: { status: 405, type: "invalid_request_error", code: "method_not_allowed" },
  conflict: { status: 409, type: "invalid_request_error", code: "conflict" },
  payload_too_large: { status: 413, type: "invalid_request_error", code: "payload_too_large" },
  unsupported_media_type: { status: 415, type: "invalid_request_error", code: "unsupported_media_type" },
  guardrail_blocked: { status: 400, type: "invalid_request_error", code: "content_blocked" },
  rate_limited: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
  budget_exceeded: { status: 429, type: "insufficient_quota", code: "budget_exceeded" },
  upstream_error: { status: 502, type: "api_error", code: "upstream_error" },
  upstream_timeout: { status: 504, type: "api_error", code: "upstream_timeout" },
  unavailable: { status: 503, type: "api_error", code: "service_unavailable" },
  control_failed: { status: 503, type: "api_error", code: "control_unavailable" },
  internal: { status: 500, type: "api_error", code: "internal_error" },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

export interface GatewayErrorOptions {
  /** Which request field is at fault, in OpenAI's `param` (dotted path). */
  param?: string | null;
  /** Overrides the kind's default `code`. */
  code?: string;
  /** Seconds the client should wait (sets `Retry-After`). */
  retryAfterSeconds?: number;
  /** Extra response headers (never secrets). */
  headers?: Record<string, string>;
  /** Internal cause: logged, never sent to the client. */
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly param: string | null;
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string>;

  constructor(kind: ErrorKind, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.kind = kind;
    this.param = options.param ?? null;
    this.code = options.code ?? ERROR_KINDS[kind].code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return ERROR_KINDS[this.kind].status;
  }

  get type(): string {
    return ERROR_KINDS[this.kind].type;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null; request_id?: string };
}

export function errorBody(err: GatewayError, requestId?: string): OpenAIErrorBody {
  return {
    error: {
      message: err.message,
      type: err.type,
      code: err.code,
      param: err.param,
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

/** The body of an error we cannot explain: no internals, only the request id to quote. */
export function internalErrorBody(requestId: string): OpenAIErrorBody {
  return {
    error: {
      message: `The gateway hit an unexpected error. Quote request id ${requestId} when reporting it.`,
      type: "api_error",
      code: "internal_error",
      param: null,
      request_id: requestId,
    },
  };
}

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;
