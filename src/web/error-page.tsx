import type { AppError } from '../platform/errors.ts';
import { Layout, href } from './layout.tsx';
import { messages, type Lang } from './messages.ts';

/**
 * The error page for public and staff screens. The message names what was wrong in Japanese (it
 * comes from the code that refused the request); an English page says it in general words instead.
 */
export async function errorPage(e: AppError, path: string, lang: Lang = 'ja'): Promise<string> {
  const m = messages[lang];
  const title = e.status === 404 ? m.notFound : e.status === 400 ? m.badRequest : m.serverError;
  const detail = lang === 'ja' ? e.message : e.status === 404 ? m.notFoundText : e.status < 500 ? m.badRequestText : m.serverErrorText;
  const doc = (
    <Layout lang={lang} title={title} path={path} bilingual>
      <h1>{title}</h1>
      <p>{detail}</p>
      <p>
        <a href={href('/', lang)}>{m.backHome}</a>
      </p>
    </Layout>
  );
  return `<!DOCTYPE html>${await doc.toString()}`;
}
