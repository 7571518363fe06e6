/** The one error family. `code` is stable (clients may branch on it); `message` is for people, in Japanese. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422 | 500,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what}が見つかりません。`);

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
