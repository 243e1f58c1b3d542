// The one API error handler: AppErrors render as {error:{code,message,hint}} with their status; anything else is a 500.
import type { Context } from "hono";
import { AppError, isAppError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";

export function errorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    const app = isAppError(err) ? err : new AppError("internal", "Something went wrong on the server.", { cause: err });
    if (!isAppError(err)) logger.error({ err }, "unhandled API error");
    return c.json(app.toJSON(), app.status as 500);
  };
}

export const badRequest = (message: string, hint?: string): AppError =>
  new AppError("bad-request", message, { status: 400, ...(hint ? { hint } : {}) });
