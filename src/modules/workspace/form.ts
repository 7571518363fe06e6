// The one way a staff form runs its command: the handler has parsed the input; a refused input
// (400, 409, 422) shows the form again with the message and changes nothing, while missing or
// forbidden (404) and failures go to the error page. `refused` also gets the error's details: parse()
// and the commands name the field that caused it there (`details.field`), so the page can show the
// message beside that field, with what was typed.
import type { Context } from 'hono';
import { isFormError, toAppError, type FormStatus } from '../../platform/errors.ts';

export async function submitForm<T>(
  c: Context,
  run: () => Promise<T>,
  refused: (message: string, status: FormStatus, details?: unknown) => Response | Promise<Response>,
  done: string | ((result: T) => Response | Promise<Response>),
): Promise<Response> {
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const e = toAppError(err);
    if (!isFormError(e)) throw err;
    return refused(e.message, e.status, e.details);
  }
  return typeof done === 'string' ? c.redirect(done, 303) : done(result);
}
