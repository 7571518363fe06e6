// Revisions of a regional vision: start a new version from the current one, then add projects,
// end projects and change their partners in it. Older versions keep their numbers and sheets.
import { z } from 'zod';
import { reason } from '../inputs.ts';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound, conflict } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import * as plans from '../../plans/index.ts';
import { canEditStructure, type Actor } from '../rules.ts';

/** Versions made on the staff screens; versions transcribed from documents are records and stay as they are. */
const STAFF_VERSION = '職員ページで作成';

/** Records what a staff member changed in a version they are editing. */
const recordChange = (db: Db, versionId: number, kind: 'added' | 'ended', nodeId: number, note: string, actor: Actor) =>
  plans.insertVersionChanges(db, [
    { fromVersionId: versionId, toVersionId: versionId, kind, nodeId, note, provenance: `職員ページ（${actor.name}）` },
  ]);

const guard = (actor: Actor) => {
  if (!canEditStructure(actor)) throw notFound('ページ');
};

const revisionInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^v[a-z0-9-]{1,20}$/, '版のコードは「v」で始まる英小文字・数字にしてください（例: v2025）。'),
  label: z.string().trim().min(1, '版の名称を入力してください。').max(100),
  reason: reason(),
});

export async function startRevision(db: Db, actor: Actor, planId: string, raw: unknown) {
  guard(actor);
  const v = parse(revisionInput, raw, '版');
  const current = await plans.currentVersion(db, planId);
  if (!current) throw notFound('計画');
  return db.transaction(async (tx) => {
    const numbers = await plans.versionNumbers(tx, current.id);
    const id = await plans.insertVersion(tx, {
      planId,
      code: v.code,
      label: v.label,
      date: new Date().toISOString().slice(0, 10),
      projectCount: numbers.length,
      position: current.position + 1,
      provenance: `${STAFF_VERSION}（${actor.name}）`,
      note: v.reason,
    });
    await plans.insertVersionProjects(
      tx,
      numbers.map((n) => ({ versionId: id, nodeId: n.nodeId, number: n.number })),
    );
    await plans.makeCurrent(tx, planId, id);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'start_revision',
      entity: 'plan_version',
      entityId: `${planId}/${v.code}`,
      after: { label: v.label, from: current.code },
      reason: v.reason,
    });
    return id;
  });
}

const addProjectInput = z.object({
  number: z.coerce.number().int('事業番号は整数で入力してください。').min(1).max(999),
  name: z.string().trim().min(1, '事業名を入力してください。').max(200),
  category: z.string().trim().min(1, '分類を選んでください。'),
  description: z.string().trim().max(2000).default(''),
  effect: z.string().trim().max(500).default(''),
  reason: reason('追加'),
});

async function editableVersion(db: Db, planId: string) {
  const current = await plans.currentVersion(db, planId);
  if (!current) throw notFound('計画');
  if (!current.provenance.startsWith(STAFF_VERSION)) {
    throw conflict('published_version', '資料から転記した版は変更できません。先に新しい版を作成してください。');
  }
  return current;
}

export async function addProject(db: Db, actor: Actor, planId: string, raw: unknown) {
  guard(actor);
  const v = parse(addProjectInput, raw, '事業');
  const version = await editableVersion(db, planId);
  const category = await plans.findNode(db, planId, v.category);
  if (!category || category.kind !== 'category') throw badRequest('分類を選んでください。');
  const numbers = await plans.versionNumbers(db, version.id);
  if (numbers.some((n) => n.number === v.number)) throw conflict('number_taken', `事業番号 ${v.number} はこの版ですでに使われています。`);
  return db.transaction(async (tx) => {
    const code = `p-${version.code}-${v.number}`;
    const id = await plans.insertNode(tx, {
      planId,
      parentId: category.id,
      kind: 'project',
      code,
      name: v.name,
      details: {
        partnersText: '全市町村',
        description: v.description,
        effect: v.effect,
        roles: { aomori: '', partners: '' },
        footnotes: [],
        budgetNote: null,
        doubts: [],
      },
      position: await plans.nextPosition(tx, planId),
      provenance: `職員ページで追加（${actor.name}、${version.label}）`,
    });
    const partners = (await plans.planMunicipalityCodes(tx, planId)).filter((m) => m.role === 'partner').map((m) => m.municipalityCode);
    await plans.setPartners(tx, id, partners);
    await plans.insertVersionProjects(tx, [{ versionId: version.id, nodeId: id, number: v.number }]);
    await recordChange(tx, version.id, 'added', id, v.reason, actor);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'add_project',
      entity: 'project',
      entityId: code,
      after: { number: v.number, name: v.name, category: v.category },
      reason: v.reason,
    });
    return code;
  });
}

const endInput = z.object({ reason: reason('終了') });

export async function endProject(db: Db, actor: Actor, planId: string, code: string, raw: unknown) {
  guard(actor);
  const { reason: why } = parse(endInput, raw, '終了');
  const version = await editableVersion(db, planId);
  const node = await plans.findNode(db, planId, code);
  if (!node || node.kind !== 'project') throw notFound('事業');
  const numbers = await plans.versionNumbers(db, version.id);
  if (!numbers.some((n) => n.nodeId === node.id)) throw conflict('not_in_version', 'この事業は現在の版にありません。');
  await db.transaction(async (tx) => {
    await plans.removeFromVersion(tx, version.id, node.id);
    await recordChange(tx, version.id, 'ended', node.id, why, actor);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'end_project',
      entity: 'project',
      entityId: code,
      before: { name: node.name },
      reason: why,
    });
  });
}

const partnersInput = z.object({
  partners: z.array(z.string().regex(/^\d{5}$/)).default([]),
  reason: reason(),
});

export async function setProjectPartners(db: Db, actor: Actor, planId: string, code: string, raw: unknown) {
  guard(actor);
  const v = parse(partnersInput, raw, '連携町村');
  await editableVersion(db, planId);
  const node = await plans.findNode(db, planId, code);
  if (!node || node.kind !== 'project') throw notFound('事業');
  const allowed = new Set(
    (await plans.planMunicipalityCodes(db, planId)).filter((m) => m.role === 'partner').map((m) => m.municipalityCode),
  );
  const bad = v.partners.filter((p) => !allowed.has(p));
  if (bad.length) throw badRequest(`この計画の連携町村ではありません: ${bad.join('、')}`);
  const before = await plans.partnerCodes(db, node.id);
  await db.transaction(async (tx) => {
    await plans.setPartners(tx, node.id, v.partners);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'set_partners',
      entity: 'project',
      entityId: code,
      before,
      after: v.partners,
      reason: v.reason,
    });
  });
}
