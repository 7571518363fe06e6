// The one read of a resident's own data for マイページ's pages: through the consent gate like every
// other read, so the resident's own reads are logged too (basis 'self', channel 'page').
import type { Db } from '../../platform/db.ts';
import type { KeyRing } from './crypto.ts';
import { read } from './gate.ts';

export const readOwnData = (db: Db, ring: KeyRing, residentId: string, categories: readonly string[]): Promise<Record<string, unknown>> =>
  read(db, ring, { kind: 'resident', id: residentId }, residentId, 'self', categories, 'page');
