// A my-area circle against an alert's area (geo.ts).
import { describe, expect, it } from 'vitest';
import { circleBox, circleTouches, type Area } from './geo.ts';

// A square about 8.4 km wide (0.1° of longitude at 41° N) with a square hole in its middle.
const square: Area = {
  type: 'Polygon',
  coordinates: [
    [
      [140, 41],
      [140.1, 41],
      [140.1, 41.1],
      [140, 41.1],
      [140, 41],
    ],
    [
      [140.04, 41.04],
      [140.06, 41.04],
      [140.06, 41.06],
      [140.04, 41.06],
      [140.04, 41.04],
    ],
  ],
};

describe('circleTouches', () => {
  it.each([
    ['a centre inside', [140.02, 41.02], 100, true],
    ['a centre outside, the edge within the radius (~840 m east of it)', [140.11, 41.05], 1000, true],
    ['a centre outside, the edge beyond the radius', [140.11, 41.05], 500, false],
    ['a centre in the hole, its edge within the radius', [140.05, 41.05], 1000, true],
    ['a centre in the hole, far from its edge', [140.05, 41.05], 500, false],
  ] as const)('%s', (_what, center, radius, expected) => {
    expect(circleTouches([...center], radius, square)).toBe(expected);
  });

  it('the box holds the circle: 1 km is about 0.009° of latitude and 0.0119° of longitude at 41° N', () => {
    const b = circleBox([140, 41], 1000);
    expect(b.maxLat - 41).toBeCloseTo(0.00904, 4);
    expect(b.maxLon - 140).toBeCloseTo(0.01191, 4);
  });
});
