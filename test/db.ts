// A fresh database per test file, on PGlite or PostgreSQL (TEST_DB), copied from a template.
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { createApp, type AppDeps } from '../src/app.ts';
import { databaseUrl, dropDatabase } from './setup-postgres.ts';
import type { Template } from './templates.ts';
import { newKey } from '../src/modules/residents/crypto.ts';
import type { KeyRing } from '../src/modules/residents/index.ts';

/** One key ring per test process: every app a test makes on one database opens what the others sealed. */
export const testResidentKeys: KeyRing = (() => {
  const key = newKey();
  return { current: key.id, keys: new Map([[key.id, key]]) };
})();

export const testDbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

export async function createTestDb(template: Template = 'aomori'): Promise<Database> {
  if (testDbKind === 'pglite') {
    const tar = await readFile(inject('pgliteTemplates')[template]);
    return openPglite({ loadDataDir: new Blob([tar]) });
  }
  const created = await createPostgresDatabase(inject('postgresTemplates')[template]);
  const db = await openPostgres(created.url, 4);
  return {
    ...db,
    async close() {
      await db.close();
      await created.drop();
    },
  };
}

/** A new database on the test PostgreSQL server: a copy of `template`, or without one brand new (not migrated). */
export async function createPostgresDatabase(template?: string) {
  const base = process.env.DATABASE_URL!;
  const name = `renkei_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return { url: databaseUrl(base, name), drop: () => admin((c) => dropDatabase(c, name)) };
}

export async function createTestApp(template: Template = 'aomori', baseUrl = 'http://127.0.0.1:9', extra: Partial<AppDeps> = {}) {
  const database = await createTestDb(template);
  const errors: unknown[] = [];
  const created = await createApp({ db: database.db, baseUrl, residentKeys: testResidentKeys, log: (e) => errors.push(e), ...extra });
  return { ...created, database, errors, close: () => database.close() };
}

/** A loopback port to serve on later: its URL is known before the app (whose issuer needs it) exists. */
export async function reservePort(host = '127.0.0.1') {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    attach: (h: typeof handler) => {
      handler = h;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The app served on a free loopback port, with its identity service's issuer at that port. */
export async function serveTestApp(
  template: Template = 'aomori',
  port?: Awaited<ReturnType<typeof reservePort>>,
  extra: Partial<AppDeps> = {},
) {
  const reserved = port ?? (await reservePort());
  const t = await createTestApp(template, reserved.url, extra);
  reserved.attach(t.nodeHandler);
  return {
    ...t,
    url: reserved.url,
    close: async () => {
      await reserved.close();
      await t.close();
    },
  };
}

/** Raw SQL for assertions; both drivers answer with `rows` (typed as the test expects them). */
export async function rows<T = Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  return (await db.db.execute(query)).rows as T[];
}
