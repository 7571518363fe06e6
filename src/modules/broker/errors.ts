// NGSI-LD ProblemDetails (ETSI GS CIM 009, clause 5.5.2): the broker's errors are the one AppError
// family with the problem type as their `code` and an English `message` as the `detail`.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../../platform/errors.ts';

/** Each problem type and the status it answers with. */
export const problemTypes = {
  InvalidRequest: 400,
  BadRequestData: 400,
  AlreadyExists: 409,
  OperationNotSupported: 422,
  ResourceNotFound: 404,
  InternalError: 500,
  TooComplexQuery: 403,
  TooManyResults: 403,
  LdContextNotAvailable: 503,
  NoMultiTenantSupport: 501,
  NonexistentTenant: 404,
  Unauthorized: 401,
  Forbidden: 403,
  LoopDetected: 508,
  // HTTP's own answers to media types (6.3.4, 6.3.6), in the same ProblemDetails form.
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ProblemType = keyof typeof problemTypes;

const isProblemType = (code: string): code is ProblemType => Object.hasOwn(problemTypes, code);

/** A broker error of the given problem type; `status` where HTTP has a more precise one (413 for a body too large). */
export const problem = (type: ProblemType, detail: string, status?: ContentfulStatusCode) =>
  new AppError(status ?? problemTypes[type], type, detail);

/** Whether `err` is a broker error of the given type. */
export const isProblem = (err: unknown, type: ProblemType): err is AppError => err instanceof AppError && err.code === type;

/** The ProblemDetails body of any error: an error raised outside the broker gets the type its status means. */
export function problemDetails(e: AppError) {
  const fallback: ProblemType =
    e.status === 404 ? 'ResourceNotFound' : e.status === 409 ? 'AlreadyExists' : e.status < 500 ? 'BadRequestData' : 'InternalError';
  const type = isProblemType(e.code) ? e.code : fallback;
  const detail = type === 'InternalError' && !isProblemType(e.code) ? 'The broker could not complete the request.' : e.message;
  return { type: `https://uri.etsi.org/ngsi-ld/errors/${type}`, title: type, status: e.status, detail };
}
