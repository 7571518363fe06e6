// 安否確認 as one part of the disaster module: its routes (マイページ, the public lookup, staff PFIF),
// the rows deleted with an account, and `markSafety` for other parts (check-in marks 避難中).
import type { Db } from '../../../platform/db.ts';
import type { HeldFields } from '../../residents/index.ts';
import type { MapDataSource } from '../shelters.ts';
import { exchange } from './exchange.ts';
import { lookupRoutes } from './lookup.tsx';
import { mySafetyRoutes, safetySections } from './my.tsx';
import { deleteSafetyOf } from './repository-safety.ts';
import { safetyStore } from './safety.ts';
import { staffSafetyRoutes } from './staff.tsx';

export type { MarkInput, SafetyStatus, SafetySource } from './safety.ts';

export function safetyPart(deps: { db: Db; fields: HeldFields; map: MapDataSource['get']; baseUrl: string; trustProxy?: number }) {
  const safety = safetyStore(deps.fields);
  const pfif = exchange({ fields: deps.fields, safety, baseUrl: deps.baseUrl });
  return {
    /** Marks a resident's status in `db` (the caller's transaction, if it passes one). */
    markSafety: safety.markSafety,
    pub: lookupRoutes(deps.db, safety, deps.trustProxy),
    my: mySafetyRoutes(deps.db, safety, pfif, deps.map),
    staff: staffSafetyRoutes(deps.db, pfif),
    sections: safetySections,
    deletedWithAccount: deleteSafetyOf,
  };
}
