import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';

/**
 * The one error family. `code` is stable (clients may branch on it; the broker's are its
 * ProblemDetails types, e.g. `BadRequestData`); `message` is for people: Japanese on pages and the
 * JSON API, English in the broker's ProblemDetails `detail`. app.ts renders it by route.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);

/** Missing and forbidden answer the same: `what` is not found. */
export const notFound = (what: string) => new AppError(404, 'not_found', `${what}が見つかりません。`);

/** The request is valid but the current state refuses it (a closed round, a code in use, a stale preview). */
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);

/** Understood but not possible with what is stored (a publication of a plan whose indicator lacks a target). */
export const unprocessable = (code: string, message: string) => new AppError(422, code, message);

export const internalError = () => new AppError(500, 'internal_error', 'サーバーでエラーが発生しました。時間をおいて再度お試しください。');

/** Statuses a form answers by showing itself again with the message: the input was refused and nothing changed. */
export type FormStatus = 400 | 409 | 422;

export const isFormError = (e: AppError): e is AppError & { status: FormStatus } =>
  e.status === 400 || e.status === 409 || e.status === 422;

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException && err.status === 404) return new AppError(404, 'not_found', 'ページが見つかりません。');
  if (err instanceof HTTPException && err.status < 500) return badRequest('入力に誤りがあります。');
  return internalError();
}
