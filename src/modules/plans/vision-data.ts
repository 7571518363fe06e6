// Loads the regional vision (data/aomori/aomori-regional-vision.json + regional-vision/projects-*.json)
// and the city plan (data/aomori/aomori-city-plan.json). One transaction each: all or nothing.
import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { parsePeriod } from './periods.ts';
import { insertMunicipalities, insertPlanMunicipalities, insertProjectPartners } from './repository-municipalities.ts';
import { insertBudgetLines, insertEvaluation, insertEvaluationIndicators } from './repository-projects.ts';
import { insertVersion, insertVersionChanges, insertVersionProjects } from './repository-versions.ts';
import { insertIndicator, insertNode, insertObservations, insertPlan } from './repository.ts';
import { planIdParam } from './schema.ts';
import { parseQuantity, parseTarget } from './targets.ts';

/**
 * Where a record was read in the document's text (seed file number, line range): for the
 * transcription tests only. It is never loaded, so no page or API shows it.
 */
export const seedRef = z.object({ seed: z.string().regex(/^\d{3}$/), lines: z.array(z.number().int().positive()).optional() });

const cell = z.union([z.number().int(), z.null(), z.literal('－')]);
const projectSheet = z.object({
  number: z.number().int().positive(),
  name: z.string().min(1),
  partnersText: z.string(),
  description: z.string(),
  effect: z.string(),
  /** 事業費見込額 per fiscal year, as the sheets print them, and the stated total: the years are stated here only. */
  budget: z.object({ '2020': cell, '2021': cell, '2022': cell, '2023': cell, '2024': cell, total: cell }),
  roles: z.object({ aomori: z.string(), partners: z.string() }),
  indicators: z.array(z.object({ name: z.string(), mark: z.string().nullable(), baseline: z.string(), target: z.string() })),
  footnotes: z.array(z.string()),
  transcribedFrom: seedRef.extend({ lines: z.tuple([z.number().int(), z.number().int()]) }),
});
export type ProjectSheet = z.infer<typeof projectSheet>;

interface CategoryInput {
  code: string;
  level: string;
  name: string;
  statedCount: number;
  projects?: number[];
  children?: CategoryInput[];
}
const category: z.ZodType<CategoryInput> = z.lazy(() =>
  z.object({
    code: z.string(),
    level: z.string(),
    name: z.string(),
    statedCount: z.number().int(),
    projects: z.array(z.number().int()).optional(),
    children: z.array(category).optional(),
  }),
);

const settings = z.object({
  clip: z.object({ min: z.number(), max: z.number() }).nullable(),
  rounding: z.object({ digits: z.number().int(), mode: z.enum(['half-up', 'half-even', 'truncate']) }),
  averaging: z.enum(['rounded-rates', 'raw-rates']),
  grading: z.object({
    thresholds: z.array(z.object({ grade: z.string(), min: z.number().nullable() })),
    notEvaluable: z.string(),
    direction: z.enum(['higher', 'lower']).optional(),
  }),
});

export const visionFile = z.object({
  plan: z.object({
    id: planIdParam,
    name: z.string(),
    nameEn: z.string().nullable(),
    owner: z.string(),
    provenance: z.string(),
    transcribedFrom: seedRef,
    settings,
  }),
  municipalities: z.array(z.object({ code: z.string().regex(/^\d{5}$/), name: z.string(), role: z.enum(['center', 'partner']) })),
  municipalityProvenance: z.string(),
  categories: z.array(category),
  categoryProvenance: z.string(),
  versions: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      date: z.string().nullable(),
      projectCount: z.number().int().nullable(),
      provenance: z.string(),
      note: z.string().nullable(),
    }),
  ),
  current: z.string(),
  numbering: z.record(z.string(), z.record(z.string(), z.number().int())),
  changes: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      kind: z.enum(['added', 'merged', 'changed', 'ended']),
      projects: z.array(z.number().int()),
      into: z.number().int().optional(),
      note: z.string(),
      provenance: z.string(),
      transcribedFrom: seedRef,
    }),
  ),
  evaluations: z.array(
    z.object({
      fiscalYear: z.number().int(),
      label: z.string(),
      provenance: z.string(),
      transcribedFrom: seedRef,
      projects: z.array(
        z.object({
          project: z.number().int(),
          numberInReport: z.number().int(),
          name: z.string(),
          summary: z.array(z.string()),
          results: z.array(z.string()),
          effects: z.array(z.string()),
          indicators: z.array(
            z.object({ name: z.string(), actual: z.string(), target: z.string(), grade: z.string(), target2024: z.string() }),
          ),
          sharedWith: z.number().int().optional(),
        }),
      ),
    }),
  ),
});
export type VisionFile = z.infer<typeof visionFile>;

const group = z.object({ heading: z.string(), items: z.array(z.string()) });
export const cityPlanFile = z.object({
  provenance: z.string(),
  /** The document's name, which each heading's provenance starts with. */
  document: z.string(),
  transcribedFrom: seedRef,
  chapters: z.array(
    z.object({
      code: z.string(),
      name: z.string().nullable(),
      line: z.number().int(),
      policies: z.array(
        z.object({
          code: z.string(),
          name: z.string(),
          line: z.number().int(),
          situation: z.array(group),
          direction: z.array(z.string()),
          measures: z.array(
            z.object({
              code: z.string(),
              name: z.string(),
              line: z.number().int(),
              summary: z.array(z.string()),
              initiatives: z.array(group),
              indicators: z.array(z.object({ name: z.string(), baseline: z.string().nullable(), target: z.string().nullable() })),
              indicatorColumns: z.array(z.string()).nullable(),
              footnotes: z.array(z.string()).optional(),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type CityPlanFile = z.infer<typeof cityPlanFile>;

const dataDir = new URL('../../../data/aomori/', import.meta.url);

async function readJson<T extends z.ZodTypeAny>(schema: T, url: URL): Promise<z.infer<T>> {
  const parsed = schema.safeParse(JSON.parse(await readFile(url, 'utf8')));
  if (!parsed.success) throw badRequest(`データファイル ${url.pathname} の形式が正しくありません`, parsed.error.issues);
  return parsed.data;
}

export async function readVision(): Promise<{ file: VisionFile; sheets: ProjectSheet[] }> {
  const file = await readJson(visionFile, new URL('aomori-regional-vision.json', dataDir));
  const dir = new URL('regional-vision/', dataDir);
  const names = (await readdir(dir)).filter((n) => /^projects-.*\.json$/.test(n));
  const sheets = (await Promise.all(names.map((n) => readJson(z.array(projectSheet), new URL(n, dir))))).flat();
  sheets.sort((a, b) => a.number - b.number);
  return { file, sheets };
}

export const readCityPlan = () => readJson(cityPlanFile, new URL('aomori-city-plan.json', dataDir));

export const projectCode = (number: number) => `p${number}`;
const budgetRow = (nodeId: number, fiscalYear: number | null, c: z.infer<typeof cell>) => ({
  nodeId,
  fiscalYear,
  amount: typeof c === 'number' ? c : null,
  cell: typeof c === 'number' ? 'value' : c === null ? 'blank' : 'dash',
});

export async function loadVision(db: Db, { file, sheets }: { file: VisionFile; sheets: ProjectSheet[] }): Promise<void> {
  const seen = new Set<number>();
  for (const s of sheets) {
    if (seen.has(s.number)) throw badRequest(`事業番号 ${s.number} が重複しています`);
    seen.add(s.number);
  }
  await db.transaction(async (tx) => {
    // `transcribedFrom` is for the transcription tests only: it is not loaded.
    const { transcribedFrom: _, ...plan } = file.plan;
    await insertPlan(tx, { ...plan, kind: 'vision' });
    await insertMunicipalities(tx, file.municipalities);
    await insertPlanMunicipalities(
      tx,
      file.municipalities.map((m, i) => ({ planId: plan.id, municipalityCode: m.code, role: m.role, position: i })),
    );
    const partnerCodes = file.municipalities.filter((m) => m.role === 'partner').map((m) => m.code);
    let position = 0;
    const node = (row: { parentId?: number; kind: string; code: string; name: string; details?: unknown; provenance: string }) =>
      insertNode(tx, { planId: plan.id, position: position++, ...row });

    const projectIds = new Map<number, number>();
    const bySheet = new Map(sheets.map((s) => [s.number, s]));
    const walk = async (c: CategoryInput, parentId?: number): Promise<void> => {
      const id = await node({
        parentId,
        kind: 'category',
        code: `category-${c.code}`,
        name: c.name,
        details: { level: c.level, statedCount: c.statedCount, number: c.code },
        provenance: file.categoryProvenance,
      });
      for (const child of c.children ?? []) await walk(child, id);
      for (const n of c.projects ?? []) {
        const s = bySheet.get(n);
        if (!s) throw badRequest(`事業番号 ${n} の個表がありません`);
        const provenance = `青森圏域連携中枢都市圏ビジョン（変更案）資料3-2 第4章 具体的取組の個表（事業名 ${n}）`;
        const pid = await node({
          parentId: id,
          kind: 'project',
          code: projectCode(n),
          name: s.name,
          details: {
            partnersText: s.partnersText,
            description: s.description,
            effect: s.effect,
            roles: s.roles,
            footnotes: s.footnotes,
          },
          provenance,
        });
        projectIds.set(n, pid);
        if (s.partnersText !== '全市町村') throw badRequest(`事業 ${n}: 関係市町村「${s.partnersText}」を解釈できません`);
        await insertProjectPartners(
          tx,
          partnerCodes.map((code) => ({ nodeId: pid, municipalityCode: code })),
        );
        const years = Object.keys(s.budget).filter((k): k is Exclude<keyof typeof s.budget, 'total'> => k !== 'total');
        await insertBudgetLines(tx, [...years.map((y) => budgetRow(pid, Number(y), s.budget[y])), budgetRow(pid, null, s.budget.total)]);
        for (const [k, ind] of s.indicators.entries()) {
          const baseline = parseQuantity(ind.baseline);
          const target = parseTarget(ind.target, baseline, ind.name);
          const iid = await node({ parentId: pid, kind: 'indicator', code: `${projectCode(n)}-${k + 1}`, name: ind.name, provenance });
          await insertIndicator(tx, {
            nodeId: iid,
            unit: target.unit || baseline?.unit || '',
            targetValue: target.value,
            targetYear: 2024,
            targetKind: target.kind,
            targetText: ind.target,
            baselineText: ind.baseline,
            mark: ind.mark,
            direction: 'higher',
          });
          const period = baseline?.period ? parsePeriod(baseline.period) : null;
          if (baseline && period) {
            await insertObservations(tx, [
              {
                indicatorId: iid,
                value: baseline.value,
                periodLabel: baseline.period!,
                periodEnd: period.end,
                asOf: period.asOf,
                note: baseline.qualifier,
                provenance,
              },
            ]);
          }
        }
      }
    };
    for (const c of file.categories) await walk(c);
    const missing = sheets.filter((s) => !projectIds.has(s.number)).map((s) => s.number);
    if (missing.length) throw badRequest(`分類に属していない事業があります: ${missing.join(', ')}`);

    const versionIds = new Map<string, number>();
    for (const [i, v] of file.versions.entries()) {
      const id = await insertVersion(tx, { planId: plan.id, position: i, isCurrent: v.code === file.current, ...v });
      versionIds.set(v.code, id);
    }
    const versionId = (code: string) => {
      const id = versionIds.get(code);
      if (!id) throw badRequest(`版「${code}」がありません`);
      return id;
    };
    const projectId = (n: number) => {
      const id = projectIds.get(n);
      if (!id) throw badRequest(`事業番号 ${n} がありません`);
      return id;
    };
    await insertVersionProjects(
      tx,
      sheets.map((s) => ({ versionId: versionId(file.current), nodeId: projectId(s.number), number: s.number })),
    );
    for (const [code, numbers] of Object.entries(file.numbering)) {
      await insertVersionProjects(
        tx,
        Object.entries(numbers).map(([current, number]) => ({ versionId: versionId(code), nodeId: projectId(Number(current)), number })),
      );
    }
    for (const ch of file.changes) {
      await insertVersionChanges(
        tx,
        ch.projects.map((n) => ({
          fromVersionId: versionId(ch.from),
          toVersionId: versionId(ch.to),
          kind: ch.kind,
          nodeId: projectId(n),
          intoNodeId: ch.into === undefined ? null : projectId(ch.into),
          note: ch.note,
          provenance: ch.provenance,
        })),
      );
    }
    for (const ev of file.evaluations) {
      for (const p of ev.projects) {
        const id = await insertEvaluation(tx, {
          nodeId: projectId(p.project),
          fiscalYear: ev.fiscalYear,
          numberInReport: p.numberInReport,
          summary: p.summary,
          results: p.results,
          effects: p.effects,
          provenance: ev.provenance,
        });
        await insertEvaluationIndicators(
          tx,
          p.indicators.map((i, k) => ({
            evaluationId: id,
            position: k,
            name: i.name,
            actualText: i.actual,
            targetText: i.target,
            publishedGrade: i.grade,
            finalTargetText: i.target2024,
          })),
        );
      }
    }
  });
}

export async function loadCityPlan(db: Db, file: CityPlanFile): Promise<void> {
  await db.transaction(async (tx) => {
    const planId = 'aomori-city-plan';
    await insertPlan(tx, {
      id: planId,
      kind: 'policy_tree',
      name: '青森市総合計画',
      nameEn: 'Aomori City Comprehensive Plan',
      owner: '青森市',
      provenance: file.provenance,
      settings: { clip: { min: 0, max: 100 }, rounding: { digits: 1, mode: 'half-up' }, averaging: 'rounded-rates' },
    });
    let position = 0;
    const node = (row: { parentId?: number; kind: string; code: string; name: string; details?: unknown; provenance: string }) =>
      insertNode(tx, { planId, position: position++, ...row });
    const at = (chapter: string, section?: string) => `${file.document} 第${chapter}章${section ? ` ${section}` : ''}`;
    for (const c of file.chapters) {
      // The document does not print chapter 3's title: it stays unknown.
      const cid = await node({
        kind: 'chapter',
        code: c.code,
        name: c.name ?? '',
        details: { nameKnown: c.name !== null },
        provenance: at(c.code),
      });
      for (const p of c.policies) {
        const pid = await node({
          parentId: cid,
          kind: 'policy',
          code: p.code,
          name: p.name,
          details: { situation: p.situation, direction: p.direction },
          provenance: at(c.code, p.code),
        });
        for (const m of p.measures) {
          await node({
            parentId: pid,
            kind: 'measure',
            code: m.code,
            name: m.name,
            details: {
              summary: m.summary,
              initiatives: m.initiatives,
              indicators: m.indicators,
              indicatorColumns: m.indicatorColumns,
              footnotes: m.footnotes ?? [],
            },
            provenance: at(c.code, m.code),
          });
        }
      }
    }
  });
}
