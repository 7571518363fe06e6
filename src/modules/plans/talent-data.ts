// Loads a development policy (方針) transcribed from a document: its pillars (基本方針) with their
// figures as indicators, targets per fiscal year, measures and the stage table (育成計画). The
// first is data/aomori/aomori-dx-talent.json (資料3 of the DX meeting).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { publishSnapshot } from './commands/publish-snapshot.ts';
import { parsePeriod } from './periods.ts';
import { insertIndicator, insertNode, insertObservations, insertPlan } from './repository.ts';
import { insertPeriodTargets } from './repository-targets.ts';
import { codeParam, isoDate, planIdParam } from './schema.ts';
import { seedRef } from './vision-data.ts';

const num = z.number().finite();
const period = z.string().refine((s) => parsePeriod(s) !== null, '期間の表記を解釈できません');
const text = z.string().min(1);

const indicator = z.object({
  code: codeParam,
  name: text,
  unit: text,
  /** The one target: final or, with targets per period, their cumulative total. */
  target: num.nullable(),
  targetYear: z.number().int().nullable(),
  /** An organisation unit's id (organisations.json): who reports the figure in rounds. */
  owner: z.string().nullable(),
  dataSource: z.string().nullable(),
  notes: z.string().nullable(),
  /** The sentence the figures were read from, as printed (checked against the seed). */
  quoted: text,
  values: z.array(z.object({ value: num.nullable(), period })),
  periodTargets: z.array(z.object({ period, target: num.nonnegative().nullable(), note: z.string().nullable() })),
  targetProvenance: z.string().optional(),
});

const stageRow = z.object({
  group: text,
  target: text,
  stage: text,
  method: text,
  years: z.number().int().positive(),
  indicator: codeParam.nullable(),
});

export const stagesShape = z.object({
  title: text,
  provenance: text,
  years: z.array(period),
  cumulativeIndicator: codeParam.nullable(),
  summary: z.string().nullable(),
  rows: z.array(stageRow),
  allStaff: z.string().nullable(),
  notes: z.array(text),
});

export const pillarDetails = z.object({
  label: text,
  summary: z.string().nullable(),
  items: z.array(text),
  next: z.array(text),
  measures: z.array(z.object({ name: text, text })),
});

export type Stages = z.infer<typeof stagesShape>;
export type PillarDetails = z.infer<typeof pillarDetails>;

export const talentFile = z
  .object({
    plan: z.object({
      id: planIdParam,
      name: text,
      nameEn: z.string().nullable(),
      owner: text,
      provenance: text,
      transcribedFrom: seedRef,
      settings: z.object({
        clip: z.object({ min: num, max: num }).nullable(),
        rounding: z.object({ digits: z.number().int().min(0).max(6), mode: z.enum(['half-up', 'half-even', 'truncate']) }),
        averaging: z.enum(['rounded-rates', 'raw-rates']),
      }),
    }),
    publication: z.object({ asOf: isoDate, label: text, provenance: text }),
    field: z.object({ code: codeParam, name: text, provenance: text }),
    pillars: z.array(
      pillarDetails.omit({ label: true }).extend({
        code: codeParam,
        label: text,
        name: text,
        provenance: text,
        transcribedFrom: seedRef,
        indicators: z.array(indicator),
      }),
    ),
    stages: stagesShape.extend({ transcribedFrom: seedRef }),
  })
  .superRefine((f, ctx) => {
    const codes = new Set(f.pillars.flatMap((p) => p.indicators.map((i) => i.code)));
    for (const [n, r] of f.stages.rows.entries()) {
      if (r.indicator && !codes.has(r.indicator))
        ctx.addIssue({ code: 'custom', path: ['stages', 'rows', n], message: `指標「${r.indicator}」がありません` });
    }
  });

export type TalentFile = z.infer<typeof talentFile>;

export const talentDataFiles = [new URL('../../../data/aomori/aomori-dx-talent.json', import.meta.url)];

export async function readTalentFile(url: URL): Promise<TalentFile> {
  const parsed = talentFile.safeParse(JSON.parse(await readFile(url, 'utf8')));
  if (!parsed.success) throw badRequest(`データファイル ${url.pathname} の形式が正しくありません`, parsed.error.issues);
  return parsed.data;
}

/**
 * Writes the plan (kind `development_policy`) in one transaction: a field holding the stage table, one KPI node
 * per pillar (its texts in `details`), the figures as indicators with their observations and targets
 * per period, and the transcription's publication. The document publishes no index: none is stored.
 */
export async function loadTalentFile(db: Db, file: TalentFile): Promise<void> {
  await db.transaction(async (tx) => {
    const { transcribedFrom: _, ...plan } = file.plan;
    await insertPlan(tx, { ...plan, kind: 'development_policy' });
    let position = 0;
    const node = (row: { parentId?: number; kind: string; code: string; name: string; details?: unknown; provenance: string }) =>
      insertNode(tx, { planId: plan.id, position: position++, ...row });
    const { transcribedFrom: __, ...stages } = file.stages;
    const fieldId = await node({ kind: 'field', ...file.field, details: { stages } });
    const indices: Record<string, null> = {};
    for (const p of file.pillars) {
      indices[p.code] = null;
      const details: PillarDetails = { label: p.label, summary: p.summary, items: p.items, next: p.next, measures: p.measures };
      const kpiId = await node({ parentId: fieldId, kind: 'kpi', code: p.code, name: p.name, details, provenance: p.provenance });
      for (const i of p.indicators) {
        const id = await node({ parentId: kpiId, kind: 'indicator', code: i.code, name: i.name, provenance: p.provenance });
        await insertIndicator(tx, {
          nodeId: id,
          unit: i.unit,
          targetValue: i.target,
          targetYear: i.targetYear,
          direction: 'higher',
          dataSource: i.dataSource,
          ownerDepartment: i.owner,
          notes: i.notes,
        });
        await insertObservations(
          tx,
          i.values.map((v) => {
            const pp = parsePeriod(v.period)!;
            return { indicatorId: id, value: v.value, periodLabel: v.period, periodEnd: pp.end, asOf: pp.asOf, provenance: p.provenance };
          }),
        );
        await insertPeriodTargets(
          tx,
          i.periodTargets.map((t) => ({
            indicatorId: id,
            periodLabel: t.period,
            periodEnd: parsePeriod(t.period)!.end,
            target: t.target,
            note: t.note,
            provenance: i.targetProvenance ?? p.provenance,
          })),
        );
      }
    }
    await publishSnapshot(tx, { planId: plan.id, ...file.publication, official: { rates: {}, indices } });
  });
}

export async function loadTalentData(db: Db): Promise<void> {
  for (const url of talentDataFiles) await loadTalentFile(db, await readTalentFile(url));
}
