// The one error path (ADR 0008): whatever fails, `respond` in app.ts answers by route — NGSI-LD
// ProblemDetails (ETSI GS CIM 009 clause 5.5.2) under /ngsi-ld/, {"error":{"code","message"}} under
// /api/, a Japanese page elsewhere — logs the failure once and never shows its message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp } from './db.ts';

describe('an unexpected failure, by route', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
    // What the database says when a table is gone is exactly what must not reach a client.
    await t.database.db.execute(sql`alter table broker_entities rename to broker_entities_gone`);
    await t.database.db.execute(sql`alter table plans rename to plans_gone`);
  });
  afterAll(() => t.close());

  it('is 500 InternalError ProblemDetails with a generic detail under /ngsi-ld/', async () => {
    const res = await t.app.request('/ngsi-ld/v1/entities?type=Shelter');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      type: 'https://uri.etsi.org/ngsi-ld/errors/InternalError',
      title: 'InternalError',
      status: 500,
      detail: 'The broker could not complete the request.',
    });
    expect(body).not.toMatch(/broker_entities|relation/);
  });

  it('is 500 internal_error JSON under /api/', async () => {
    const res = await t.app.request('/api/v1/plans');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).toMatch(/サーバーでエラーが発生しました/);
    expect(JSON.stringify(body)).not.toMatch(/plans_gone|relation/);
  });

  it('is a Japanese 500 page elsewhere', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="ja"');
    expect(html).toMatch(/サーバーでエラーが発生しました/);
    expect(html).not.toMatch(/relation/);
  });

  it('each failure is logged once, with its cause', () => {
    expect(t.errors).toHaveLength(3);
    expect(t.errors.map((e) => String(e instanceof Error ? (e.cause ?? e.message) : e)).join('\n')).toMatch(/broker_entities|plans/);
  });
});
