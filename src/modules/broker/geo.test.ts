import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { AppError } from '../../platform/errors.ts';
import { geoMatches, parseGeoQuery } from './geo.ts';

// 青森市役所 (140.7400, 40.8228) and 青森駅 (140.7285, 40.8287): about 1.15 km apart.
const cityHall: Geometry = { type: 'Point', coordinates: [140.74, 40.8228] };
const station: Geometry = { type: 'Point', coordinates: [140.7285, 40.8287] };
const square = (x0: number, y0: number, x1: number, y1: number): Geometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
const near = (max: number, at = '[140.74,40.8228]') => parseGeoQuery(`near;maxDistance==${max}`, 'Point', at);

describe('geo-queries', () => {
  it('near with maxDistance and minDistance, in metres', () => {
    expect(geoMatches(station, near(1200))).toBe(true);
    expect(geoMatches(station, near(1000))).toBe(false);
    expect(geoMatches(station, parseGeoQuery('near;minDistance==1000', 'Point', '[140.74,40.8228]'))).toBe(true);
    expect(geoMatches(cityHall, parseGeoQuery('near;minDistance==1000', 'Point', '[140.74,40.8228]'))).toBe(false);
  });

  it('near a line or a polygon measures to its nearest point (0 inside)', () => {
    const road: Geometry = {
      type: 'LineString',
      coordinates: [
        [140.73, 40.81],
        [140.73, 40.84],
      ],
    };
    expect(geoMatches(road, near(1000))).toBe(true); // about 840 m west
    expect(geoMatches(road, near(500))).toBe(false);
    expect(geoMatches(square(140.7, 40.8, 140.8, 40.85), near(1))).toBe(true);
  });

  it('within, contains, intersects, disjoint and equals', () => {
    const area = JSON.stringify((square(140.7, 40.8, 140.8, 40.85) as { coordinates: unknown }).coordinates);
    expect(geoMatches(cityHall, parseGeoQuery('within', 'Polygon', area))).toBe(true);
    expect(geoMatches({ type: 'Point', coordinates: [141, 41] }, parseGeoQuery('within', 'Polygon', area))).toBe(false);
    expect(geoMatches(square(140.6, 40.7, 140.9, 40.9), parseGeoQuery('contains', 'Point', '[140.74,40.8228]'))).toBe(true);
    expect(geoMatches(square(140.75, 40.82, 140.9, 40.9), parseGeoQuery('intersects', 'Polygon', area))).toBe(true);
    expect(geoMatches(square(141, 41, 141.1, 41.1), parseGeoQuery('disjoint', 'Polygon', area))).toBe(true);
    expect(geoMatches(cityHall, parseGeoQuery('equals', 'Point', '[140.74,40.8228]'))).toBe(true);
  });

  it.each([
    ['near', 'Point', '[140,40]'],
    ['near;maxDistance==x', 'Point', '[140,40]'],
    ['near;maxDistance==10', 'Polygon', '[[[140,40],[141,40],[141,41],[140,40]]]'],
    ['overlaps', 'Point', '[140,40]'],
    ['within', 'Point', '[140,'],
    ['within', 'Polygon', '[[[140,40],[141,40],[141,41],[140,41]]]'],
    ['within', 'Circle', '[140,40]'],
  ])('refuses georel=%s geometry=%s coordinates=%s', (georel, geometry, coordinates) => {
    expect(() => parseGeoQuery(georel, geometry, coordinates)).toThrow(AppError);
  });
});
