import { describe, expect, it } from 'vitest';
import { HTTPException } from 'hono/http-exception';
import { AppError, badRequest, conflict, isFormError, notFound, toAppError, unprocessable } from './errors.ts';

describe('the one error family', () => {
  it('named constructors give the status and a stable code', () => {
    expect(
      [badRequest('x'), notFound('指標'), conflict('round_closed', 'x'), unprocessable('invalid_plan', 'x')].map((e) => [e.status, e.code]),
    ).toEqual([
      [400, 'bad_request'],
      [404, 'not_found'],
      [409, 'round_closed'],
      [422, 'invalid_plan'],
    ]);
    expect(notFound('指標').message).toBe('指標が見つかりません。');
  });

  it('a refused input (400, 409, 422) is a form error; missing, forbidden and failures are not', () => {
    expect([400, 409, 422, 404, 403, 500].map((s) => isFormError(new AppError(s as 400, 'x', 'x')))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('anything else thrown becomes an AppError without its message', () => {
    expect(toAppError(new HTTPException(404))).toMatchObject({ status: 404, code: 'not_found' });
    expect(toAppError(new HTTPException(413))).toMatchObject({ status: 400, code: 'bad_request' });
    const e = toAppError(new Error('password=secret'));
    expect(e).toMatchObject({ status: 500, code: 'internal_error' });
    expect(e.message).not.toContain('secret');
  });
});
