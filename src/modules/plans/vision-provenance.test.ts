// Checks the regional vision and city plan data against the documents they were transcribed from
// (資料3-2, its 概要, 令和2年度の取組実績, 青森市総合計画; the seeds each record's `transcribedFrom` names),
// so no figure or text is invented or mistyped.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  budgetProblems,
  categoryProblems,
  changeProblems,
  cityPlanProblems,
  evaluationProblems,
  seedText,
  sheetProblems,
} from '../../../test/transcription.ts';
import { readCityPlan, readVision, type CityPlanFile, type ProjectSheet, type VisionFile } from './vision-data.ts';

const { file, sheets } = await readVision();
const seeds = (n: string) => seedText(n) ?? '';
const document = seedText(file.plan.transcribedFrom.seed);

describe.skipIf(!document)('transcription of the regional vision (資料3-2, its 概要, 令和2年度の取組実績)', () => {
  it('has the 55 sheets, numbered 1 to 55', () => {
    expect(sheets.map((s) => s.number)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
    expect(new Set(sheets.map((s) => s.transcribedFrom.seed))).toEqual(new Set([file.plan.transcribedFrom.seed]));
  });

  it('every sheet starts at its 「事 業 名 N」 line; name, 内容, 連携効果, 役割分担, indicators and footnotes appear in its lines', () => {
    expect(sheetProblems(sheets, document!)).toEqual([]);
  });

  it('every budget row: the printed figures in order, right after the column headings', () => {
    expect(budgetProblems(sheets, document!)).toEqual([]);
  });

  it('the category table: names and printed counts, four partner towns in every row', () => {
    expect(categoryProblems(file, document!)).toEqual([]);
  });

  it('the 44 -> 48 revision (概要): its new and changed projects with their numbers; the 「新規」 marks of 資料3-2', () => {
    expect(seeds('002')).toContain('[現在] 44事業 ⇒ [変更案] 48事業');
    expect(changeProblems(file, sheets, seeds)).toEqual([]);
  });

  it('the FY2020 evaluations (令和2年度の取組実績), each project numbered as in the report', () => {
    expect(evaluationProblems(file, seeds)).toEqual([]);
  });

  it('a figure or text changed in a copy of the data is caught: a budget cell, a baseline, a report number', () => {
    const copy: { file: VisionFile; sheets: ProjectSheet[] } = structuredClone({ file, sheets });
    copy.sheets[0]!.budget['2021'] = 409;
    copy.sheets[4]!.indicators[0]!.baseline = copy.sheets[4]!.indicators[0]!.baseline.replace(/\d+/, (d) => String(Number(d) + 1));
    copy.file.evaluations[0]!.projects[0]!.numberInReport += 1;
    copy.file.changes.find((c) => c.transcribedFrom.lines)!.transcribedFrom.lines![0]! += 1;
    expect(budgetProblems(copy.sheets, document!)).toEqual([expect.stringMatching(/^No\.1: 408, 409, 401/)]);
    expect(sheetProblems(copy.sheets, document!)).toEqual([expect.stringMatching(/^No\.5: /)]);
    expect(evaluationProblems(copy.file, seeds)).toEqual([expect.stringMatching(/^8 /)]);
    expect(changeProblems(copy.file, copy.sheets, seeds)).toEqual([expect.stringMatching(/: 新規$/)]);
  });
});

describe.skipIf(!document)('transcription of 青森市総合計画', () => {
  let plan: CityPlanFile;
  beforeAll(async () => {
    plan = await readCityPlan();
  });
  it('every heading (at its line), paragraph and item appears in the document', () => {
    expect(cityPlanProblems(plan, seeds(plan.transcribedFrom.seed))).toEqual([]);
  });
  it('a heading or text changed in a copy is caught', () => {
    const copy = structuredClone(plan);
    const m = copy.chapters[0]!.policies[0]!.measures[0]!;
    m.summary[0] = m.summary[0]!.replace('子育て', '子育てと介護');
    m.line += 1;
    expect(cityPlanProblems(copy, seeds(plan.transcribedFrom.seed))).toEqual([
      `${m.code}: line ${m.line}`,
      expect.stringMatching(/子育てと介護/),
    ]);
  });
});
