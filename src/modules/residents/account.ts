// Account deletion, on the resident's own request (/my/account/delete) or a staff member's on theirs.
// What is deleted and what is kept, and why, is in docs/personal-data.md.
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { deleteOwnRows, markAccountDeleted, withdrawOpenConsents } from './repository-mydata.ts';
import { deleteIdentityLinks } from './repository-mynumber.ts';
import { deleteResidentPasskeys } from './repository-passkeys.ts';

/** Deletes one resident's rows of a table, inside the account deletion's transaction. */
export type DeletedWithAccount = (tx: Db, residentId: string) => Promise<unknown>;

/** Every per-resident table of this module but the account row itself; other modules' tables come as `more` (ResidentScreens). */
const deletedWithAccount: DeletedWithAccount[] = [deleteOwnRows, deleteResidentPasskeys, deleteIdentityLinks];

/**
 * Deletes the profile, data items, sessions and the rows in deletedWithAccount; the account row stays
 * as 'deleted' so the consent records and the access log (kept) still name it; open consents end.
 */
export async function deleteAccount(
  db: Db,
  residentId: string,
  more: readonly DeletedWithAccount[],
  alsoInTransaction?: (tx: Db) => Promise<unknown>,
) {
  await db.transaction(async (tx) => {
    if (!(await markAccountDeleted(tx, residentId))) throw notFound('住民アカウント');
    for (const remove of [...deletedWithAccount, ...more]) await remove(tx, residentId);
    await withdrawOpenConsents(tx, residentId);
    await alsoInTransaction?.(tx);
  });
}
