// GitHub's error bodies: `basic-error` ({message, documentation_url, status}) and `validation-error` shapes.

export const DOCS = "https://docs.github.com/rest";

export interface GitHubErrorOptions {
  documentationUrl?: string;
  headers?: Record<string, string>;
  /** `validation-error` items or `validation-error-simple` strings. */
  errors?: unknown[];
  /** Extra top-level fields (e.g. 503 bodies carry `code`). */
  extra?: Record<string, unknown>;
}

/** Thrown by route handlers; the app's error handler renders it exactly as GitHub would. */
export class GitHubHttpError extends Error {
  readonly status: number;
  readonly documentationUrl: string;
  readonly headers: Record<string, string>;
  readonly errors: unknown[] | undefined;
  readonly extra: Record<string, unknown>;

  constructor(status: number, message: string, options: GitHubErrorOptions = {}) {
    super(message);
    this.status = status;
    this.documentationUrl = options.documentationUrl ?? DOCS;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
    this.extra = options.extra ?? {};
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
      ...this.extra,
    };
  }
}

export const notFound = (documentationUrl?: string): GitHubHttpError =>
  new GitHubHttpError(404, "Not Found", documentationUrl ? { documentationUrl } : {});

export function validationFailed(
  errors: { resource: string; field: string; code: string; message?: string }[],
  documentationUrl?: string,
): GitHubHttpError {
  return new GitHubHttpError(422, "Validation Failed", { errors, ...(documentationUrl ? { documentationUrl } : {}) });
}

export const badRequest = (message: string, documentationUrl?: string): GitHubHttpError =>
  new GitHubHttpError(400, message, documentationUrl ? { documentationUrl } : {});
