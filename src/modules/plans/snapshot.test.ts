import { describe, expect, it } from 'vitest';
import { readSnapshot, type StoredSnapshot } from './snapshot.ts';

const goal = {
  code: 'g1',
  name: '労働生産性',
  unit: '千円',
  target: 8000,
  targetYear: 2028,
  direction: 'higher' as const,
  base: null,
  previous: null,
  latest: { value: 7000, period: 'R4年度', rate: null },
  source: '県民経済計算',
  notes: null,
  provenance: '資料1-1',
};
const settings = { clip: { min: 0, max: 100 }, rounding: { digits: 1, mode: 'half-up' as const }, averaging: 'rounded-rates' as const };

describe('readSnapshot', () => {
  it('reads a version 1 snapshot (出典 stored as `source`, 測定項目 as `measure`) as provenance and metric, leaving the rest as stored', () => {
    const stored: StoredSnapshot = {
      version: 1,
      plan: { id: 'p', name: '計画', owner: '県', source: '資料1-1' },
      asOf: '2025-01-31',
      label: '2025年1月末時点',
      source: '資料1-2',
      settings,
      goals: [{ ...goal, measure: '県内総生産/就業者１人' }],
      fields: [],
      kpis: [],
    };
    expect(readSnapshot(stored)).toEqual({
      version: 3,
      plan: { id: 'p', name: '計画', owner: '県', provenance: '資料1-1' },
      asOf: '2025-01-31',
      label: '2025年1月末時点',
      provenance: '資料1-2',
      settings,
      goals: [{ ...goal, latest: { ...goal.latest, source: null }, metric: '県内総生産/就業者１人' }],
      fields: [],
      kpis: [],
    });
  });

  it('reads a version 2 snapshot with every value’s データの出所 unknown (null)', () => {
    const indicator = { ...goal, previous: { value: 6000, period: 'R3年度', rate: 75 } };
    const stored: StoredSnapshot = {
      version: 2,
      plan: { id: 'p', name: '計画', owner: '県', provenance: '資料1-1' },
      asOf: '2025-01-31',
      label: 'x',
      provenance: '資料1-2',
      settings,
      goals: [{ ...goal, metric: null }],
      fields: [],
      kpis: [{ code: 'k', name: 'KPI', field: 'f', components: null, index: 50, provenance: '資料', indicators: [indicator] }],
    };
    const read = readSnapshot(stored);
    expect(read.version).toBe(3);
    expect(read.goals[0]).toEqual({ ...goal, metric: null, latest: { ...goal.latest, source: null } });
    expect(read.kpis[0]!.indicators[0]).toEqual({
      ...indicator,
      previous: { ...indicator.previous, source: null },
      latest: { ...indicator.latest, source: null },
    });
  });

  it('returns a version 3 snapshot unchanged', () => {
    const stored: StoredSnapshot = {
      version: 3,
      plan: { id: 'p', name: '計画', owner: '県', provenance: '資料1-1' },
      asOf: '2025-01-31',
      label: 'x',
      provenance: '資料1-2',
      settings,
      goals: [],
      fields: [],
      kpis: [],
    };
    expect(readSnapshot(stored)).toBe(stored);
  });
});
