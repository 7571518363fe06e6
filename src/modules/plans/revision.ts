// What the revision commands share: which version staff may still change, and how a change made in
// it is recorded. Versions transcribed from documents are records and stay as they are.
import type { Db } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import { currentVersion, insertVersionChanges } from './repository-versions.ts';

/** Marks versions made on the staff screens (their `provenance` starts with it). */
export const STAFF_VERSION = '職員ページで作成';

/** The current version, when staff made it; a transcribed one must first be followed by a new version. */
export async function editableVersion(db: Db, planId: string) {
  const current = await currentVersion(db, planId);
  if (!current) throw notFound('計画');
  if (!current.provenance.startsWith(STAFF_VERSION)) {
    throw conflict('published_version', '資料から転記した版は変更できません。先に新しい版を作成してください。');
  }
  return current;
}

/** Records what a staff member changed in a version they are editing. */
export const recordChange = (db: Db, versionId: number, kind: 'added' | 'ended', nodeId: number, note: string, actor: Actor) =>
  insertVersionChanges(db, [
    { fromVersionId: versionId, toVersionId: versionId, kind, nodeId, note, provenance: `職員ページ（${actor.name}）` },
  ]);
