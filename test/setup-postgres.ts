import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../src/platform/db.ts';
import { fill } from './templates.ts';

/** The URL of another database on the same server. */
export function databaseUrl(base: string, name: string) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops a test database, ending its connections. Where the tests' role is no superuser (CI uses Debian's
 * cluster), FORCE cannot end an autovacuum worker busy on it: the drop is refused (42501) or finds the
 * database in use (55006) until the worker is done, so it is tried again for a few seconds.
 */
export async function dropDatabase(admin: pg.Client, name: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 40 || (code !== '42501' && code !== '55006')) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which starts a PostgreSQL server when none is given.');
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const prefix = `renkei_test_${process.pid}`;
  const names = { empty: `${prefix}_tpl_empty`, aomori: `${prefix}_tpl_aomori` };
  for (const [t, name] of Object.entries(names) as ['empty' | 'aomori', string][]) {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const db = await openPostgres(databaseUrl(base, name), 2);
    await fill(db, t);
    await db.close();
  }
  project.provide('postgresTemplates', names);
  return async () => {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
    for (const r of rows) await dropDatabase(admin, r.datname);
    await admin.end();
  };
}
