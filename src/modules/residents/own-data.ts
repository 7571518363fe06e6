// The one read of a resident's own data for マイページ's pages. For now it opens the categories
// directly; the consent gate (issue 12, point 5) takes its place at merge, logging a 'self' read.
import type { Db } from '../../platform/db.ts';
import type { KeyRing } from './crypto.ts';
import { readCategoriesUngated } from './profiles.ts';

export const readOwnData = (db: Db, ring: KeyRing, residentId: string, categories: readonly string[]): Promise<Record<string, unknown>> =>
  readCategoriesUngated(db, ring, residentId, categories);
