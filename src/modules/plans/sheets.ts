// The plans data staff exchange as spreadsheets (budgets, indicators, projects): what each one holds
// for a staff member (only what they may edit), and how one changed row is written back. Reading and
// writing the files is the workspace's; the columns are declared here with platform/columns.ts.
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import {
  amountColumn,
  numberColumn,
  textColumn,
  type AmountCell,
  type Change,
  type Column,
  type DataRecord,
} from '../../platform/columns.ts';
import type { Actor } from '../identity/index.ts';
import { matchUnit, type OrgUnit } from '../organisations/index.ts';

import { totalWarning } from './budget-check.ts';
import { budgetFiscalYears, projectsForEdit, setBudgetCell } from './repository-projects.ts';
import {
  findNode,
  indicatorsForEntry,
  listPlans,
  setOwnerDepartment,
  updateIndicator,
  updateNodeDetails,
  updateNodeName,
} from './repository.ts';
import { canEditProjectOf, canEditStructure } from './rules.ts';

/** A sheet as a staff member gets it: its columns (the first is the key) and the records they may edit. */
export interface Sheet {
  name: string;
  title: string;
  columns: Column[];
  /** By key (the first column). `_id` is the node id. */
  records: Map<string, DataRecord>;
  /** What to warn about in a record as it would be after an import, without refusing it. */
  warning?: (record: DataRecord) => string | null;
}

interface SheetDataset {
  name: string;
  title: string;
  /** The entity its rows are in the audit trail. */
  auditEntity: string;
  /** The kind of plan it is part of (the first plan of that kind). */
  kind: 'dashboard' | 'vision';
  /** `units`: the registry, for columns that hold a unit (shown by full name, read by full name or id). */
  load(db: Db, planId: string, actor: Actor, units: OrgUnit[]): Promise<Omit<Sheet, 'name' | 'title'>>;
  /** Writes one row's changes; the caller checked them against `load` in the same transaction. */
  apply(db: Db, planId: string, record: DataRecord, change: Change): Promise<void>;
}

const after = (ch: Change, field: string) => ch.fields.find((f) => f.field === field)?.after;
const changed = (ch: Change, field: string) => ch.fields.some((f) => f.field === field);
const yearField = (fy: number) => `y${fy}`;

/**
 * 担当部局 as people type it in Excel: a unit's full name (full-width ＤＸ and spaces as typed are
 * fine) or its id; it holds the id. An owner the registry does not know is a row error naming the
 * value; a retired unit is read (a row that keeps it is unchanged) and refused only as a new owner.
 * `unmatched`: stored owners no unit has (listed on the owners page), read back as they are so that
 * a sheet exported with them still imports.
 */
function ownerColumn(units: OrgUnit[], unmatched: Set<string>): Column {
  const base = textColumn('担当部局', 'ownerDepartment', { max: 100 });
  return {
    ...base,
    read(v) {
      const read = base.read(v);
      if ('error' in read || read.value === null) return read;
      const unit = matchUnit(
        units.filter((u) => u.kind !== 'municipality'),
        String(read.value),
      );
      if (unit) return { value: unit.id };
      return unmatched.has(String(read.value))
        ? read
        : { error: `担当部局「${String(read.value)}」は組織一覧にありません（部局・課の正式名称で入力してください）。` };
    },
    show: (v) => (v === null ? '' : (units.find((u) => u.id === v)?.fullName ?? String(v))),
  };
}

/** The vision's projects the actor may edit, with their budgets and sheets. */
const editableProjects = async (db: Db, planId: string, actor: Actor) =>
  (await projectsForEdit(db, planId)).filter((p) => p.leadMunicipality && canEditProjectOf(actor, p.leadMunicipality));

const budgets: SheetDataset = {
  name: 'budgets',
  title: '事業費見込額（青森圏域連携中枢都市圏ビジョン、千円）',
  auditEntity: 'project',
  kind: 'vision',
  async load(db, planId, actor) {
    const years = await budgetFiscalYears(db, planId);
    const cell = (p: { budgets: { fiscalYear: number | null; amount: number | null; cell: string }[] }, fy: number | null): AmountCell => {
      const b = p.budgets.find((x) => x.fiscalYear === fy);
      return b ? { amount: b.amount, cell: b.cell as AmountCell['cell'] } : { amount: null, cell: 'blank' };
    };
    return {
      columns: [
        textColumn('事業コード', 'code', { editable: false }),
        textColumn('事業番号', 'number', { editable: false }),
        textColumn('事業名', 'name', { editable: false }),
        ...years.map((fy) => amountColumn(`${fy}年度`, yearField(fy))),
        amountColumn('計', 'total'),
      ],
      // A year changed while 計 is left as it was: a warning in the preview, a difference on the public page.
      warning: (r) =>
        totalWarning(
          { number: r.number as number, name: r.name as string },
          years.map((fy) => r[yearField(fy)] as AmountCell),
          r.total as AmountCell,
        ),
      records: new Map(
        (await editableProjects(db, planId, actor)).map((p) => [
          p.code,
          {
            _id: p.nodeId,
            code: p.code,
            number: p.number,
            name: p.name,
            ...Object.fromEntries(years.map((fy) => [yearField(fy), cell(p, fy)])),
            total: cell(p, null),
          },
        ]),
      ),
    };
  },
  async apply(db, _planId, record, change) {
    for (const f of change.fields) {
      const c = f.after as AmountCell;
      await setBudgetCell(db, record._id as number, f.field === 'total' ? null : Number(f.field.slice(1)), c.amount, c.cell);
    }
  },
};

const indicators: SheetDataset = {
  name: 'indicators',
  title: '中間指標（青森県DX推進プラン）',
  auditEntity: 'indicator',
  kind: 'dashboard',
  async load(db, planId, actor, units) {
    const rows = await indicatorsForEntry(db, planId);
    const known = new Set(units.map((u) => u.id));
    const unmatched = new Set(rows.flatMap((i) => (i.ownerDepartment && !known.has(i.ownerDepartment) ? [i.ownerDepartment] : [])));
    const columns = [
      textColumn('指標コード', 'code', { editable: false }),
      textColumn('KPI', 'kpi', { editable: false }),
      textColumn('指標名', 'name', { required: true, max: 200 }),
      textColumn('単位', 'unit', { required: true, max: 20 }),
      numberColumn('目標値', 'target', { required: true }),
      numberColumn('目標年', 'targetYear', { integer: true }),
      ownerColumn(units, unmatched),
    ];
    if (!canEditStructure(actor)) return { columns, records: new Map() };
    return {
      columns,
      records: new Map(
        rows.map((i) => [
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
      ),
    };
  },
  async apply(db, _planId, record, change) {
    const id = record._id as number;
    const value = (field: string) => (changed(change, field) ? after(change, field) : record[field]);
    if (changed(change, 'name')) await updateNodeName(db, id, value('name') as string, null);
    await updateIndicator(db, id, {
      unit: value('unit') as string,
      targetValue: value('target') as number,
      targetYear: value('targetYear') as number | null,
    });
    if (changed(change, 'ownerDepartment')) await setOwnerDepartment(db, id, value('ownerDepartment') as string | null);
  },
};

type ProjectDetails = { description: string; effect: string; roles: { aomori: string; partners: string } };

const projects: SheetDataset = {
  name: 'projects',
  title: '具体的取組（青森圏域連携中枢都市圏ビジョン）',
  auditEntity: 'project',
  kind: 'vision',
  async load(db, planId, actor) {
    const out = new Map<string, DataRecord>();
    for (const p of await editableProjects(db, planId, actor)) {
      const d = p.details as ProjectDetails;
      out.set(p.code, {
        _id: p.nodeId,
        code: p.code,
        number: p.number,
        name: p.name,
        description: d.description || null,
        effect: d.effect || null,
        rolesAomori: d.roles.aomori || null,
        rolesPartners: d.roles.partners || null,
      });
    }
    return {
      columns: [
        textColumn('事業コード', 'code', { editable: false }),
        textColumn('事業番号', 'number', { editable: false }),
        textColumn('事業名', 'name', { required: true, max: 200 }),
        textColumn('内容', 'description', { max: 2000 }),
        textColumn('連携効果', 'effect', { max: 500 }),
        textColumn('青森市の役割', 'rolesAomori', { max: 500 }),
        textColumn('連携町村の役割', 'rolesPartners', { max: 500 }),
      ],
      records: out,
    };
  },
  async apply(db, planId, record, change) {
    const id = record._id as number;
    const value = (field: string) => ((changed(change, field) ? after(change, field) : record[field]) as string | null) ?? '';
    const node = (await findNode(db, planId, record.code as string))!;
    await updateNodeName(db, id, value('name'), node.description);
    await updateNodeDetails(db, id, {
      ...(node.details as Record<string, unknown>),
      description: value('description'),
      effect: value('effect'),
      roles: { aomori: value('rolesAomori'), partners: value('rolesPartners') },
    });
  },
};

const datasets: Record<string, SheetDataset> = { budgets, indicators, projects };

/** The sheets on offer, in order. */
export const sheetList = Object.values(datasets).map(({ name, title }) => ({ name, title }));

/** A dataset and the plan it is part of; 404 for a name that is none. */
export async function sheetDataset(db: Db, name: string) {
  const ds = Object.hasOwn(datasets, name) ? datasets[name] : undefined;
  const plan = ds && (await listPlans(db)).find((p) => p.kind === ds.kind);
  if (!ds || !plan) throw notFound('データセット');
  return { ds, planId: plan.id };
}

export async function loadSheet(db: Db, name: string, actor: Actor, units: OrgUnit[]): Promise<Sheet> {
  const { ds, planId } = await sheetDataset(db, name);
  return { name: ds.name, title: ds.title, ...(await ds.load(db, planId, actor, units)) };
}
