// Checks the transcription in data/aomori/aomori-dx-talent.json against the document it came from
// (青森県DX推進本部会議 資料3, the seed its `transcribedFrom` names): no figure invented or mistyped.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedText } from '../../../test/transcription.ts';
import { talentProblems } from '../../../test/transcription-talent.ts';
import { talentDataFiles, talentFile, type TalentFile } from './talent-data.ts';

const raw = JSON.parse(await readFile(talentDataFiles[0]!, 'utf8')) as { plan: { transcribedFrom: { seed: string } } };
const text = seedText(raw.plan.transcribedFrom.seed);

describe.skipIf(!text)('transcription of 資料3 (青森県デジタル人財育成方針に基づく実施状況)', () => {
  let data: TalentFile;
  beforeAll(() => {
    data = talentFile.parse(raw);
  });

  it('every pillar, sentence, measure, figure, target and stage row is in the seed text', () => {
    expect(talentProblems(data, text!)).toEqual([]);
  });

  it('transcribes every figure of 資料3: 602, 284, 191, 200, 300, 39 and the table’s 200 × 5, 1,000', () => {
    const indicators = data.pillars.flatMap((p) => p.indicators);
    expect(indicators.flatMap((i) => i.values.map((v) => v.value))).toEqual([602, 284, 191, 200, 39]);
    expect(indicators.flatMap((i) => i.periodTargets.map((t) => t.target))).toEqual([200, 200, 200, 200, 200, 300]);
    expect(indicators.map((i) => i.target)).toEqual([null, null, null, 1000, null, null]);
    expect(data.stages.rows.map((r) => r.years)).toEqual([5, 4, 3, 2, 1]);
  });

  it('a figure changed in a copy of the data is caught: a value, a yearly target, the total, a stage’s years, a measure', () => {
    const copy = structuredClone(data);
    const [p1, p2] = copy.pillars;
    p1!.indicators[0]!.values[0]!.value = 620;
    p2!.indicators[0]!.periodTargets[2]!.target = 250;
    p2!.indicators[1]!.periodTargets[0]!.target = 30;
    copy.stages.rows[2]!.years = 4;
    p2!.measures[1]!.text = p2!.measures[1]!.text.replace('39名', '93名');
    const found = talentProblems(copy, text!);
    expect(found).toEqual(
      expect.arrayContaining([
        'policy-1-1: 620 not in 「基本研修（人事課）において「デジタルリテラシー」（動画視聴）を実施（602名修了）」',
        expect.stringMatching(/^policy-2-1: 200, 200, 250, 200, 200 against/),
        'policy-2-1: the years sum to the total',
        expect.stringMatching(/^policy-2-2: 30 not in/),
        'stages: ③業務改革 printed with 3年',
        'policy-2: 集合研修',
      ]),
    );
    expect(found).toHaveLength(6);
  });
});
