import { describe, expect, it } from 'vitest';
import type { Snapshot } from './snapshot.ts';
import { kpiTrend } from './trend.ts';

const snap = (asOf: string, index: number | null, value: number | null, withKpi = true) =>
  ({
    asOf,
    kpis: withKpi
      ? [
          {
            code: 'k',
            index,
            indicators: [{ code: 'a', latest: value === null ? null : { value, period: asOf, rate: 50 } }],
          },
        ]
      : [],
  }) as unknown as Snapshot;

describe('kpiTrend', () => {
  it('reads each publication’s index and latest values; missing ones are null, never 0', () => {
    const t = kpiTrend(
      [
        { asOf: '2024-07-31', label: 'A', snapshot: snap('2024-07-31', null, null, false) },
        { asOf: '2025-01-31', label: 'B', snapshot: snap('2025-01-31', 40, null) },
        { asOf: '2025-07-31', label: 'C', snapshot: snap('2025-07-31', 55.5, 12) },
      ],
      {
        code: 'k',
        indicators: [
          { code: 'a', name: '指標A', unit: '件' },
          { code: 'b', name: '指標B', unit: '%' },
        ],
      },
    );
    expect(t.indicators.map((i) => i.code)).toEqual(['a', 'b']);
    expect(t.points.map((p) => [p.label, p.index, p.values.map((v) => v?.value ?? null)])).toEqual([
      ['A', null, [null, null]],
      ['B', 40, [null, null]],
      ['C', 55.5, [12, null]],
    ]);
  });
});
