// Building a database takes seconds (PGlite's initdb alone ~4 s), so each run builds two
// templates once — migrated, and migrated with the Aomori data — and every test copies one.
import { openPglite, type Database } from '../src/platform/db.ts';
import { loadDefaultData } from '../src/modules/plans/default-data.ts';
import { loadOrganisations } from '../src/modules/organisations/default-data.ts';

export type Template = 'empty' | 'aomori';

export async function fill(db: Database, template: Template) {
  await db.migrate();
  if (template === 'aomori') {
    await loadOrganisations(db.db);
    await loadDefaultData(db.db);
  }
}

export async function pgliteTemplate(template: Template): Promise<Blob> {
  const db = await openPglite();
  await fill(db, template);
  const blob = await db.client.dumpDataDir('none');
  await db.close();
  return blob;
}
