import type { AppError } from '../platform/errors.ts';
import { Layout } from './layout.tsx';
import { messages } from './messages.ts';

/** The Japanese error page for public and staff screens. */
export async function errorPage(e: AppError, path: string): Promise<string> {
  const m = messages.ja;
  const title = e.status === 404 ? m.notFound : e.status === 400 ? m.badRequest : m.serverError;
  const doc = (
    <Layout lang="ja" title={title} path={path}>
      <h1>{title}</h1>
      <p>{e.message}</p>
      <p>
        <a href="/">トップページへ戻る</a>
      </p>
    </Layout>
  );
  return `<!DOCTYPE html>${await doc.toString()}`;
}
