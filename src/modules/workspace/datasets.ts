// The datasets staff exchange as spreadsheets: what each one holds for a staff member (only what they
// may edit), and how one changed row is written back.
import type { Db } from '../../platform/db.ts';
import * as plans from '../plans/index.ts';
import { canEditProjectOf, canEditStructure, type Actor } from './rules.ts';
import { budgetColumn, numberColumn, textColumn, type BudgetCell, type Change, type DataRecord, type Dataset } from './spreadsheet.ts';

export interface SheetDataset extends Dataset {
  /** The records this staff member may edit, by key (the first column). `_id` is the node id. */
  load(db: Db, actor: Actor): Promise<Map<string, DataRecord>>;
  /** Writes one row's changes; the caller checked them against `load` in the same transaction. */
  apply(db: Db, record: DataRecord, change: Change): Promise<void>;
  auditEntity: string;
}

const DX = 'aomori-dx';
const VISION = 'aomori-regional-vision';
const years = ['y2020', 'y2021', 'y2022', 'y2023', 'y2024'] as const;
const after = (ch: Change, field: string) => ch.fields.find((f) => f.field === field)?.after;

/** The vision's projects the actor may edit, with their budgets. */
async function editableProjects(db: Db, actor: Actor) {
  const out: NonNullable<Awaited<ReturnType<typeof plans.projectForEdit>>>[] = [];
  for (let n = 1; ; n++) {
    const p = await plans.projectForEdit(db, VISION, n);
    if (!p) break;
    if (p.leadMunicipality && canEditProjectOf(actor, p.leadMunicipality)) out.push(p);
  }
  return out;
}

const budgets: SheetDataset = {
  name: 'budgets',
  title: '事業費見込額（青森圏域連携中枢都市圏ビジョン、千円）',
  auditEntity: 'project',
  columns: [
    textColumn('事業コード', 'code', { editable: false }),
    textColumn('事業番号', 'number', { editable: false }),
    textColumn('事業名', 'name', { editable: false }),
    budgetColumn('2020年度', 'y2020'),
    budgetColumn('2021年度', 'y2021'),
    budgetColumn('2022年度', 'y2022'),
    budgetColumn('2023年度', 'y2023'),
    budgetColumn('2024年度', 'y2024'),
    budgetColumn('計', 'total'),
  ],
  async load(db, actor) {
    const cell = (p: { budgets: { fiscalYear: number | null; amount: number | null; cell: string }[] }, fy: number | null): BudgetCell => {
      const b = p.budgets.find((x) => x.fiscalYear === fy);
      return b ? { amount: b.amount, cell: b.cell as BudgetCell['cell'] } : { amount: null, cell: 'blank' };
    };
    return new Map(
      (await editableProjects(db, actor)).map((p) => [
        p.code,
        {
          _id: p.nodeId,
          code: p.code,
          number: p.number,
          name: p.name,
          ...Object.fromEntries(years.map((y, i) => [y, cell(p, 2020 + i)])),
          total: cell(p, null),
        },
      ]),
    );
  },
  async apply(db, record, change) {
    for (const f of change.fields) {
      const c = f.after as BudgetCell;
      await plans.setBudgetCell(db, record._id as number, f.field === 'total' ? null : Number(f.field.slice(1)), c.amount, c.cell);
    }
  },
};

const indicators: SheetDataset = {
  name: 'indicators',
  title: '中間指標（青森県DX推進プラン）',
  auditEntity: 'indicator',
  columns: [
    textColumn('指標コード', 'code', { editable: false }),
    textColumn('KPI', 'kpi', { editable: false }),
    textColumn('指標名', 'name', { required: true, max: 200 }),
    textColumn('単位', 'unit', { required: true, max: 20 }),
    numberColumn('目標値', 'target', { required: true }),
    numberColumn('目標年', 'targetYear', { integer: true }),
    textColumn('担当部局', 'ownerDepartment', { max: 100 }),
  ],
  async load(db, actor) {
    if (!canEditStructure(actor)) return new Map();
    return new Map(
      (await plans.indicatorsForEntry(db, DX)).map((i) => [
        i.code,
        {
          _id: i.id,
          code: i.code,
          kpi: i.kpiCode,
          name: i.name,
          unit: i.unit,
          target: i.target,
          targetYear: i.targetYear,
          ownerDepartment: i.ownerDepartment,
        },
      ]),
    );
  },
  async apply(db, record, change) {
    const id = record._id as number;
    const value = (field: string) => (change.fields.some((f) => f.field === field) ? after(change, field) : record[field]);
    if (change.fields.some((f) => f.field === 'name')) await plans.updateNodeName(db, id, value('name') as string, null);
    await plans.updateIndicator(db, id, {
      unit: value('unit') as string,
      targetValue: value('target') as number,
      targetYear: value('targetYear') as number | null,
    });
    if (change.fields.some((f) => f.field === 'ownerDepartment'))
      await plans.setOwnerDepartment(db, id, value('ownerDepartment') as string | null);
  },
};

const projects: SheetDataset = {
  name: 'projects',
  title: '具体的取組（青森圏域連携中枢都市圏ビジョン）',
  auditEntity: 'project',
  columns: [
    textColumn('事業コード', 'code', { editable: false }),
    textColumn('事業番号', 'number', { editable: false }),
    textColumn('事業名', 'name', { required: true, max: 200 }),
    textColumn('内容', 'description', { max: 2000 }),
    textColumn('連携効果', 'effect', { max: 500 }),
    textColumn('青森市の役割', 'rolesAomori', { max: 500 }),
    textColumn('連携町村の役割', 'rolesPartners', { max: 500 }),
  ],
  async load(db, actor) {
    const out = new Map<string, DataRecord>();
    for (const p of await editableProjects(db, actor)) {
      const node = (await plans.findNode(db, VISION, p.code))!;
      const d = node.details as { description: string; effect: string; roles: { aomori: string; partners: string } };
      out.set(p.code, {
        _id: p.nodeId,
        code: p.code,
        number: p.number,
        name: node.name,
        description: d.description || null,
        effect: d.effect || null,
        rolesAomori: d.roles.aomori || null,
        rolesPartners: d.roles.partners || null,
      });
    }
    return out;
  },
  async apply(db, record, change) {
    const id = record._id as number;
    const value = (field: string) =>
      ((change.fields.some((f) => f.field === field) ? after(change, field) : record[field]) as string | null) ?? '';
    const node = (await plans.findNode(db, VISION, record.code as string))!;
    const d = node.details as Record<string, unknown>;
    await plans.updateNodeName(db, id, value('name'), node.description);
    await plans.updateNodeDetails(db, id, {
      ...d,
      description: value('description'),
      effect: value('effect'),
      roles: { aomori: value('rolesAomori'), partners: value('rolesPartners') },
    });
  },
};

export const datasets: Record<string, SheetDataset> = { budgets, indicators, projects };
