// ProblemDetails (ETSI GS CIM 009 clause 5.5.2, type URIs of clause 5.5.2 table 5.5.2-1) from the one error family.
import { describe, expect, it } from 'vitest';
import { badRequest, conflict, internalError, notFound } from '../../platform/errors.ts';
import { isProblem, problem, problemDetails } from './errors.ts';

describe('problemDetails (clause 5.5.2)', () => {
  it('renders a broker error with its type URI, title, status and detail', () => {
    expect(problemDetails(problem('BadRequestData', 'q is not valid.'))).toEqual({
      type: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData',
      title: 'BadRequestData',
      status: 400,
      detail: 'q is not valid.',
    });
  });

  it('keeps a more precise HTTP status than the type gives (413 for a body too large)', () => {
    const e = problem('BadRequestData', 'The body is too large.', 413);
    expect(e.status).toBe(413);
    expect(problemDetails(e)).toMatchObject({ title: 'BadRequestData', status: 413 });
  });

  it.each([
    [notFound('ページ'), 'ResourceNotFound', 404],
    [badRequest('入力に誤りがあります。'), 'BadRequestData', 400],
    [conflict('code_exists', 'すでにあります。'), 'AlreadyExists', 409],
    [internalError(), 'InternalError', 500],
  ])('gives an error raised outside the broker the type its status means: %s', (e, type, status) => {
    expect(problemDetails(e)).toMatchObject({ type: `https://uri.etsi.org/ngsi-ld/errors/${type}`, title: type, status });
  });

  it('never shows the message of an unexpected failure, only a generic detail', () => {
    expect(problemDetails(internalError()).detail).toBe('The broker could not complete the request.');
    expect(problemDetails(problem('InternalError', 'The context source failed.')).detail).toBe('The context source failed.');
  });

  it('tells a broker error by its type', () => {
    expect(isProblem(problem('ResourceNotFound', 'x'), 'ResourceNotFound')).toBe(true);
    expect(isProblem(problem('BadRequestData', 'x'), 'ResourceNotFound')).toBe(false);
    expect(isProblem(new Error('x'), 'ResourceNotFound')).toBe(false);
  });
});
