// HTTP plumbing without domain words: input checks, and the one place errors become responses.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { AppError, badRequest } from './errors.ts';

/** Validates one input; a failure is a 400 with the schema's Japanese message. */
export function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`${what}: ${r.error.issues[0]?.message ?? '値が正しくありません。'}`);
  return r.data;
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException && err.status === 404) return new AppError(404, 'not_found', 'ページが見つかりません。');
  if (err instanceof HTTPException && err.status < 500) return new AppError(400, 'bad_request', '入力に誤りがあります。');
  return new AppError(500, 'internal_error', 'サーバーでエラーが発生しました。時間をおいて再度お試しください。');
}

export const isApiPath = (path: string) => path.startsWith('/api/');

export function errorJson(c: Context, e: AppError) {
  return c.json({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } }, e.status);
}
