// Form pieces of the pages before a session (sign-up, sign-in): a field with its Japanese message
// beside it, and the guards every such POST passes (size, rate).
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../platform/db.ts';
import { clientAddress } from '../../platform/http.ts';
import { rateLimiter } from '../../platform/rate-limit.ts';
import { myPage } from './page.tsx';
import { TextField } from '../../web/text-field.tsx';

export type PublicEnv = { Bindings: { incoming: IncomingMessage } };

/** A refused input: the message, and the field it belongs to ('' for the form as a whole). */
export interface Refused {
  message: string;
  field: string;
}

export const refusedOf = (message: string, details: unknown): Refused => ({
  message,
  field: (details as { field?: string } | undefined)?.field ?? '',
});

export const Field = (props: { name: string; label: string; type?: string; autocomplete?: string; value?: string; refused?: Refused }) => {
  const { refused, ...rest } = props;
  return <TextField {...rest} required message={refused?.field === props.name ? refused.message : undefined} />;
};

export const FormError = (props: { refused?: Refused }) =>
  props.refused?.field === '' ? (
    <p class="differs" role="alert">
      {props.refused.message}
    </p>
  ) : null;

/** Sign-in's limit per address (the staff sign-in's numbers): each try is a guess at a password or a code. */
export function guarded(db: Db, name: string, trustProxy: number): MiddlewareHandler<PublicEnv> {
  const allow = rateLimiter(db, name, 20, 5 * 60_000);
  const limit = bodyLimit({
    maxSize: 8 * 1024,
    onError: (c) => myPage(c, '入力が大きすぎます', <p>送信された内容が大きすぎます。入力を短くして、もう一度お試しください。</p>, 413),
  });
  return (c, next) =>
    limit(c, async () => {
      // No session yet, so no CSRF token: a form posted from another site (login CSRF: signing the
      // victim in to the attacker's account, to collect what they then register) is refused by the
      // browser's own Fetch Metadata (W3C Fetch Metadata Request Headers §2.4 Sec-Fetch-Site).
      if (c.req.header('sec-fetch-site') === 'cross-site') {
        c.res = await myPage(
          c,
          '送信できません',
          <p>別のサイトから送信されたため受け付けませんでした。このサイトのページから操作してください。</p>,
          400,
        );
        return;
      }
      if (!(await allow(clientAddress(c.env?.incoming, trustProxy)))) {
        c.res = await myPage(c, 'しばらくお待ちください', <p>試行が多すぎます。5分ほど待ってから再度お試しください。</p>, 429);
        return;
      }
      await next();
    });
}

export const text = (v: unknown) => (typeof v === 'string' ? v : '');
export type { Context };
