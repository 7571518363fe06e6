import { describe, expect, it } from 'vitest';
import { readSnapshot, type StoredSnapshot } from './snapshot.ts';

const settings = { clip: { min: 0, max: 100 }, rounding: { digits: 1, mode: 'half-up' as const }, averaging: 'rounded-rates' as const };

describe('readSnapshot', () => {
  it('reads a version 1 snapshot (出典 stored as `source`) as provenance, leaving the rest as stored', () => {
    const stored: StoredSnapshot = {
      version: 1,
      plan: { id: 'p', name: '計画', owner: '県', source: '資料1-1' },
      asOf: '2025-01-31',
      label: '2025年1月末時点',
      source: '資料1-2',
      settings,
      goals: [],
      fields: [],
      kpis: [],
    };
    expect(readSnapshot(stored)).toEqual({
      version: 2,
      plan: { id: 'p', name: '計画', owner: '県', provenance: '資料1-1' },
      asOf: '2025-01-31',
      label: '2025年1月末時点',
      provenance: '資料1-2',
      settings,
      goals: [],
      fields: [],
      kpis: [],
    });
  });

  it('returns a version 2 snapshot unchanged', () => {
    const stored: StoredSnapshot = {
      version: 2,
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
