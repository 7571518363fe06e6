// Loads a plan transcribed from the prefecture's documents (data/aomori/*.json) and its publication.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { publishSnapshot, type OfficialFigures } from './commands/publish-snapshot.ts';
import { parsePeriod } from './periods.ts';
import { insertCases, insertIndicator, insertNode, insertObservations, insertPlan } from './repository.ts';
import { isoDate, planIdParam } from './schema.ts';
import { loadTalentData } from './talent-data.ts';
import { loadCityPlan, loadVision, readCityPlan, readVision, seedRef } from './vision-data.ts';

const num = z.number().finite();
const period = z.string().refine((s) => parsePeriod(s) !== null, '期間の表記を解釈できません');
const value = z.object({ value: num.nullable(), period, rate: num.nullable() });
const measured = {
  name: z.string().min(1),
  unit: z.string(),
  target: num.nullable(),
  direction: z.enum(['higher', 'lower', 'change_from_base']).default('higher'),
  base: num.nullable().default(null),
  dataSource: z.string().nullable(),
  notes: z.string().nullable(),
};

export const planFile = z
  .object({
    plan: z.object({
      id: planIdParam,
      name: z.string(),
      nameEn: z.string().nullable(),
      owner: z.string(),
      provenance: z.string(),
      transcribedFrom: seedRef,
      settings: z.object({
        clip: z.object({ min: num, max: num }).nullable(),
        rounding: z.object({ digits: z.number().int().min(0).max(6), mode: z.enum(['half-up', 'half-even', 'truncate']) }),
        averaging: z.enum(['rounded-rates', 'raw-rates']),
      }),
    }),
    publication: z.object({ asOf: isoDate, label: z.string(), provenance: z.string() }),
    goals: z.array(
      z.object({
        ...measured,
        code: z.string(),
        metric: z.string().nullable(),
        targetYear: z.number().int().nullable(),
        previous: value.omit({ rate: true }).nullable(),
        latest: value.omit({ rate: true }).nullable(),
        provenance: z.string(),
      }),
    ),
    fields: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        nameEn: z.string().nullable(),
        provenance: z.string(),
        cases: z.array(z.object({ title: z.string(), period: z.string().nullable(), body: z.string() })),
      }),
    ),
    kpis: z.array(
      z.object({
        code: z.string(),
        field: z.string(),
        name: z.string(),
        components: z.string().nullable(),
        publishedIndex: num.nullable(),
        provenance: z.string(),
        indicators: z.array(z.object({ ...measured, previous: value.nullable(), latest: value.nullable() })),
      }),
    ),
  })
  .superRefine((f, ctx) => {
    const fields = new Set(f.fields.map((x) => x.code));
    f.kpis.forEach((k, i) => {
      if (!fields.has(k.field)) ctx.addIssue({ code: 'custom', path: ['kpis', i, 'field'], message: `分野「${k.field}」がありません` });
    });
  });

export type PlanFile = z.infer<typeof planFile>;

export const defaultDataFiles = [new URL('../../../data/aomori/aomori-dx.json', import.meta.url)];

export async function readPlanFile(url: URL): Promise<PlanFile> {
  const parsed = planFile.safeParse(JSON.parse(await readFile(url, 'utf8')));
  if (!parsed.success) {
    throw badRequest(`データファイル ${url.pathname} の形式が正しくありません`, parsed.error.issues);
  }
  return parsed.data;
}

type ObservedValue = { value: number | null; period: string } | null;

function observationRows(indicatorId: number, values: ObservedValue[], provenance: string) {
  return values
    .filter((v): v is NonNullable<ObservedValue> => v !== null)
    .map((v) => {
      const p = parsePeriod(v.period)!;
      return { indicatorId, value: v.value, periodLabel: v.period, periodEnd: p.end, asOf: p.asOf, provenance };
    });
}

/** Writes one plan file in a single transaction: all of it or nothing. */
export async function loadPlanFile(db: Db, file: PlanFile): Promise<void> {
  const official: OfficialFigures = { rates: {}, indices: {} };
  await db.transaction(async (tx) => {
    // `transcribedFrom` is for the transcription tests only: it is not loaded.
    const { transcribedFrom: _, ...plan } = file.plan;
    await insertPlan(tx, plan);
    let position = 0;
    const node = (row: {
      parentId?: number;
      kind: string;
      code: string;
      name: string;
      nameEn?: string | null;
      description?: string | null;
      provenance: string;
    }) => insertNode(tx, { planId: plan.id, position: position++, ...row });

    for (const g of file.goals) {
      const id = await node({ kind: 'basic_goal', code: g.code, name: g.name, provenance: g.provenance });
      await insertIndicator(tx, {
        nodeId: id,
        metric: g.metric,
        unit: g.unit,
        targetValue: g.target,
        targetYear: g.targetYear,
        direction: g.direction,
        baseValue: g.base,
        dataSource: g.dataSource,
        notes: g.notes,
      });
      await insertObservations(tx, observationRows(id, [g.previous, g.latest], g.provenance));
    }
    for (const f of file.fields) {
      const fieldId = await node({ kind: 'field', code: f.code, name: f.name, nameEn: f.nameEn, provenance: f.provenance });
      await insertCases(
        tx,
        f.cases.map((c, i) => ({
          nodeId: fieldId,
          title: c.title,
          periodLabel: c.period,
          body: c.body,
          position: i,
          provenance: f.provenance,
        })),
      );
      for (const k of file.kpis.filter((k) => k.field === f.code)) {
        const kpiId = await node({
          parentId: fieldId,
          kind: 'kpi',
          code: k.code,
          name: k.name,
          description: k.components,
          provenance: k.provenance,
        });
        official.indices[k.code] = k.publishedIndex;
        for (const [n, i] of k.indicators.entries()) {
          const code = `${k.code}-${n + 1}`;
          const id = await node({ parentId: kpiId, kind: 'indicator', code, name: i.name, provenance: k.provenance });
          await insertIndicator(tx, {
            nodeId: id,
            unit: i.unit,
            targetValue: i.target,
            direction: i.direction,
            baseValue: i.base,
            dataSource: i.dataSource,
            notes: i.notes,
          });
          await insertObservations(tx, observationRows(id, [i.previous, i.latest], k.provenance));
          official.rates[code] = { previous: i.previous?.rate ?? null, latest: i.latest?.rate ?? null };
        }
      }
    }
    await publishSnapshot(tx, { planId: plan.id, ...file.publication, official });
  });
}

/** The Aomori data: the DX plan's dashboard, the regional vision, the city plan and the デジタル人財育成方針. */
export async function loadDefaultData(db: Db): Promise<void> {
  for (const url of defaultDataFiles) await loadPlanFile(db, await readPlanFile(url));
  await loadVision(db, await readVision());
  await loadCityPlan(db, await readCityPlan());
  await loadTalentData(db);
}
