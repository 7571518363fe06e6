// The offline pack's nearest-shelter grid on a small synthetic municipality (about 1.7 km × 1.1 km at
// 40° N: 4 × 3 cells of 500 m, the last column and row outside the boundary).
import { describe, expect, it } from 'vitest';
import { hazardTypes } from './hazards.ts';
import { cellOf, distanceMetres, nearestGrid, type GridShelter } from './pack-grid.ts';

const square = (w: number, s: number, e: number, n: number) => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];
const boundary = [[square(140, 40, 140.02, 40.01)]];
const A: GridShelter = { kind: 'emergency', coordinates: [140.001, 40.002], hazards: ['flood', 'tsunami'] };
const B: GridShelter = { kind: 'emergency', coordinates: [140.018, 40.008], hazards: ['flood'] };
// A 指定避難所 at the very centre: never the answer, its data names no hazard.
const C: GridShelter = { kind: 'evacuation', coordinates: [140.009, 40.005], hazards: ['flood'] };
const D: GridShelter = { kind: 'emergency', coordinates: [140.019, 40.002], hazards: ['tsunami'] };

describe('offline pack: nearest suitable shelter per hazard', () => {
  const grid = nearestGrid(boundary, [A, B, C, D]);
  const at = (h: 'flood' | 'tsunami' | 'earthquake', col: number, row: number) => grid.nearest[h][row * grid.cols + col];

  it('covers the boundary box with ~500 m cells, one entry per cell and hazard', () => {
    expect([grid.cols, grid.rows, grid.cellMetres]).toEqual([4, 3, 500]);
    expect(distanceMetres([grid.west, grid.south], [grid.west + grid.cellLon, grid.south])).toBeCloseTo(500, -1);
    expect(distanceMetres([grid.west, grid.south], [grid.west, grid.south + grid.cellLat])).toBeCloseTo(500, 0);
    for (const h of hazardTypes) expect(grid.nearest[h]).toHaveLength(12);
  });

  it('picks the nearest 指定緊急避難場所 designated for the hazard, by distance from the cell centre', () => {
    // Flood: A in the west, B in the north-east; the middle column splits by real distance
    // (row 0: A 0.66 km vs B 1.0 km; row 1: A 0.85 km vs B 0.80 km).
    expect([at('flood', 0, 0), at('flood', 1, 0), at('flood', 2, 0)]).toEqual([0, 0, 1]);
    expect([at('flood', 0, 1), at('flood', 1, 1), at('flood', 2, 1)]).toEqual([0, 1, 1]);
    // Tsunami: A or D; B (flood only) never, C (指定避難所) never.
    expect([at('tsunami', 0, 0), at('tsunami', 1, 0), at('tsunami', 2, 0)]).toEqual([0, 0, 3]);
    expect(grid.nearest.flood.concat(grid.nearest.tsunami)).not.toContain(2);
  });

  it('null where no shelter is designated for the hazard, and for cells whose centre is outside', () => {
    expect(grid.nearest.earthquake.every((i) => i === null)).toBe(true);
    expect([at('flood', 3, 0), at('flood', 0, 2), at('tsunami', 3, 2)]).toEqual([null, null, null]);
  });

  it('a hole in the boundary (another municipality inside) has no answers', () => {
    const centre = [grid.west + 1.5 * grid.cellLon, grid.south + 0.5 * grid.cellLat];
    const hole = square(centre[0]! - 0.001, centre[1]! - 0.001, centre[0]! + 0.001, centre[1]! + 0.001).reverse();
    const holed = nearestGrid([[square(140, 40, 140.02, 40.01), hole]], [A, B, D]);
    expect(holed.nearest.flood[1]).toBeNull();
    expect(holed.nearest.flood[0]).toBe(0);
  });

  it('finds the cell of a position, and none outside the grid', () => {
    expect(cellOf(grid, [140.0095, 40.0065])).toBe(5);
    expect(cellOf(grid, [139.99, 40.005])).toBeUndefined();
    expect(cellOf(grid, [140.01, 40.1])).toBeUndefined();
  });

  it('an empty boundary gives an empty grid', () => {
    const empty = nearestGrid([], [A]);
    expect([empty.cols, empty.rows, empty.nearest.flood]).toEqual([0, 0, []]);
  });
});
