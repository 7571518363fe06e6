// Checks the transcription in data/aomori/aomori-dx.json against the document it came from
// (青森県DX推進本部会議資料, 資料1-1 and 1-2; the seed its `transcribedFrom` names), so no number is invented or mistyped.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { dxCaseProblems, dxGoalProblems, dxIndicatorProblems, dxKpiProblems, dxTables, seedText } from '../../../test/transcription.ts';
import { defaultDataFiles, planFile, type PlanFile } from './default-data.ts';

const dxFile = defaultDataFiles[0]!;
const raw = JSON.parse(await readFile(dxFile, 'utf8')) as { plan: { transcribedFrom: { seed: string } } };
const text = seedText(raw.plan.transcribedFrom.seed);

describe.skipIf(!text)('transcription of 資料1-1, 1-2 (青森県DX推進本部会議)', () => {
  let data: PlanFile;
  beforeAll(() => {
    data = planFile.parse(raw);
  });

  it('finds the eight KPI tables', () => {
    expect(dxTables(text!).tables).toHaveLength(8);
  });

  it('every KPI: name, published index (達成率の単純平均) and components', () => {
    expect(dxKpiProblems(data, text!)).toEqual([]);
  });

  it('every indicator: name, periods, and A, B, C, D, E in the document order', () => {
    expect(dxIndicatorProblems(data, text!)).toEqual([]);
  });

  it('every basic goal: target and values, with their years', () => {
    expect(dxGoalProblems(data, text!)).toEqual([]);
  });

  it('every case (代表的な事例): title and text', () => {
    expect(dxCaseProblems(data, text!)).toEqual([]);
  });

  it('a number changed in a copy of the data is caught: a target, a latest value, a KPI index, a goal', () => {
    const copy = structuredClone(data);
    copy.kpis[1]!.indicators[0]!.target! += 1;
    copy.kpis[2]!.indicators[1]!.latest!.value = 12.5;
    copy.kpis[3]!.publishedIndex = 99.9;
    copy.goals[0]!.latest!.value! += 1;
    expect(dxIndicatorProblems(copy, text!)).toEqual([
      expect.stringMatching(new RegExp(`^${copy.kpis[1]!.code} `)),
      expect.stringMatching(new RegExp(`^${copy.kpis[2]!.code} .*12\\.5`)),
    ]);
    expect(dxKpiProblems(copy, text!)).toEqual([`${copy.kpis[3]!.code}: KPI 99.9`]);
    expect(dxGoalProblems(copy, text!)).toEqual([expect.stringContaining(copy.goals[0]!.name)]);
  });
});
