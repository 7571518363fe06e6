// 安否照会 without an account (/disaster/safety/lookup): with the one-time 安否照会コード a person shared,
// their display name and status, once; nothing else about them, and no search by name. Without a code,
// or with a wrong, used or expired one, the same "not found" (404). Tries are limited per address.
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../../platform/db.ts';
import { AppError, toAppError } from '../../../platform/errors.ts';
import { clientAddress } from '../../../platform/http.ts';
import { rateLimiter } from '../../../platform/rate-limit.ts';
import { disasterPage } from '../page.tsx';
import { when } from '../reports-public.tsx';
import { safetySources, safetyStatuses, type Safety } from './safety.ts';

export const LOOKUP_TRIES = { max: 10, windowMs: 15 * 60_000 } as const;
const PATH = '/disaster/safety/lookup';

export function lookupRoutes(db: Db, safety: Safety, trustProxy = 0) {
  const app = new Hono<{ Bindings: { incoming?: IncomingMessage } }>();
  const allow = rateLimiter(db, 'safety-lookup', LOOKUP_TRIES.max, LOOKUP_TRIES.windowMs);

  const page = (c: Context, result?: Awaited<ReturnType<Safety['lookup']>>, message?: string, status: 200 | 400 | 404 | 413 | 429 = 200) =>
    disasterPage(
      c,
      '安否照会',
      <>
        <h1>安否照会</h1>
        <p>
          家族や知人から受け取った「安否照会コード」を入力すると、その人の表示名と安否を1回だけ見られます。名前などで人を探すことはできません。
        </p>
        {message && (
          <p class="differs" role="alert">
            {message}
          </p>
        )}
        {result && (
          <section aria-labelledby="lookup-result">
            <h2 id="lookup-result">{result.displayName ?? '（表示名が未登録）'}</h2>
            <p>
              <strong>{result.status ? safetyStatuses[result.status] : 'まだ安否が登録されていません'}</strong>
              {result.markedAt && `（${when(result.markedAt)}、${result.source ? safetySources[result.source] : ''}）`}
            </p>
            <p>このコードは使い終わりました。もう一度見るには、新しいコードをもらってください。</p>
          </section>
        )}
        <form method="post" action={PATH}>
          <p class="field">
            <label for="lookup-code">安否照会コード</label>
            <input
              id="lookup-code"
              name="code"
              maxlength={20}
              autocomplete="off"
              autocapitalize="characters"
              required
              aria-invalid={message ? 'true' : undefined}
            />
          </p>
          <button type="submit" class="button">
            照会する
          </button>
        </form>
      </>,
      { status, maxAge: 0 },
    );

  app.get(PATH, (c) => page(c));
  app.post(
    PATH,
    bodyLimit({
      maxSize: 4096,
      onError: (c) => page(c, undefined, '送信内容が大きすぎます。', 413),
    }),
    async (c) => {
      if (!(await allow(clientAddress(c.env?.incoming, trustProxy))))
        return page(c, undefined, '照会が多すぎます。15分ほど待ってから、もう一度お試しください。', 429);
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const code = typeof body.code === 'string' ? body.code : '';
      try {
        return await page(c, await safety.lookup(db, code));
      } catch (err) {
        const e = toAppError(err);
        if (e instanceof AppError && e.status === 404) return page(c, undefined, e.message, 404);
        throw err;
      }
    },
  );
  return app;
}
