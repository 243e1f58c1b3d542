// One error type for everything a user can act on: a stable code, a sentence, a hint, an HTTP status and an exit code.

export type ErrorCode =
  | "config-invalid"
  | "github-bad-credentials"
  | "github-missing-permission"
  | "github-wrong-org"
  | "github-feature-disabled"
  | "github-not-found"
  | "github-rate-limited"
  | "github-unavailable"
  | "github-audit-log-unavailable"
  | "store-error"
  | "webhook-bad-signature"
  | "webhook-bad-request"
  | "webhook-too-large"
  | "webhook-method-not-allowed"
  | "webhook-unsupported-media-type"
  | "not-found"
  | "bad-request"
  | "internal";

export interface AppErrorOptions {
  hint?: string;
  status?: number;
  exitCode?: number;
  cause?: unknown;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly status: number;
  readonly exitCode: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.hint = options.hint;
    this.status = options.status ?? 500;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details;
  }

  toJSON(): { error: { code: ErrorCode; message: string; hint?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) } };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
