import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { pgliteTemplate } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplates: { empty: string; aomori: string };
    postgresTemplates: { empty: string; aomori: string };
  }
}

export default async function setup(project: TestProject) {
  const dir = join(process.cwd(), '.cache', `pglite-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const paths = { empty: join(dir, 'empty.tar'), aomori: join(dir, 'aomori.tar') };
  for (const t of ['empty', 'aomori'] as const) {
    await writeFile(paths[t], Buffer.from(await (await pgliteTemplate(t)).arrayBuffer()));
  }
  project.provide('pgliteTemplates', paths);
  return () => rm(dir, { recursive: true, force: true });
}
