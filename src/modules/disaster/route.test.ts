// Routes on a small synthetic network: the shortest path by length, the straight-line fallback when
// the network is missing, far or disconnected, and the choice of shelter.
import { describe, expect, it } from 'vitest';
import { bearing, buildNetwork, direction, nearestShelter, planRoute } from './route.ts';
import type { Shelter } from './shelters.ts';

const shelter = (slug: string, coordinates: [number, number], o: Partial<Shelter> = {}): Shelter => ({
  id: `urn:ngsi-ld:EmergencyEvacuationSite:${slug}`,
  slug,
  kind: 'emergency',
  name: `テスト避難場所${slug}`,
  address: null,
  municipality: '02201',
  coordinates,
  hazards: ['tsunami', 'flood'],
  status: null,
  occupancy: null,
  capacity: null,
  openedAt: null,
  updated: '',
  ...o,
});

// A square-ish network: from A (west) to C (east) by the north (A-D-E-C, about 3.9 km) or the south (A-S-C, about 2.8 km).
const A: [number, number] = [140.7, 40.8];
const C: [number, number] = [140.72, 40.8];
const D: [number, number] = [140.7, 40.81];
const E: [number, number] = [140.72, 40.81];
const S: [number, number] = [140.71, 40.79];
const roads = [
  { name: '北回り', coordinates: [A, D, E, C] },
  { name: '南回り', coordinates: [A, S, C] },
];
const target = shelter('c', [140.7201, 40.8001]);

describe('route (issue 13 point 8)', () => {
  it('takes the shortest path by length on the road network, snapped at both ends, as steps by road', () => {
    const r = planRoute(buildNetwork(roads), [140.6999, 40.7999], target);
    expect(r.mode).toBe('network');
    expect(r.line).toContainEqual(S);
    expect(r.line).not.toContainEqual(D);
    expect(r.line[0]).toEqual([140.6999, 40.7999]);
    expect(r.line.at(-1)).toEqual(target.coordinates);
    expect(r.metres).toBeGreaterThan(2700);
    expect(r.metres).toBeLessThan(2900);
    // The shelter is nearest to the north road's last segment, 10 m north of C.
    expect(r.steps.map((s) => s.text)).toEqual([
      '道路まで北東へ 10 m',
      '南回りを南東へ 1.4 km',
      '南回りを北東へ 1.4 km',
      '北回りを北へ 10 m',
      'テスト避難場所cまで東へ 10 m',
    ]);
    expect(r.note).toBeUndefined();
  });

  it('changes its path when the network changes: a closed south road leaves the north one', () => {
    const r = planRoute(buildNetwork([roads[0]!]), [140.6999, 40.7999], target);
    expect(r.mode).toBe('network');
    expect(r.line).toContainEqual(D);
    expect(r.metres).toBeGreaterThan(3800);
    expect(r.steps[1]!.text).toMatch(/^北回りを/);
  });

  it('on one segment, goes straight along it', () => {
    const r = planRoute(buildNetwork([{ name: '一本道', coordinates: [A, C] }]), [140.7021, 40.8001], shelter('m', [140.7101, 40.8001]));
    expect(r.mode).toBe('network');
    expect(r.metres).toBeGreaterThan(650);
    expect(r.metres).toBeLessThan(700);
    expect(r.steps[1]!.text).toMatch(/^一本道を東へ/);
  });

  it('falls back to a straight line with distance and 方角 on a disconnected network, saying it is no walking route', () => {
    const net = buildNetwork([
      { name: '西の道', coordinates: [A, D] },
      { name: '東の道', coordinates: [E, C] },
    ]);
    const r = planRoute(net, [140.6999, 40.8001], target);
    expect(r.mode).toBe('straight');
    expect(r.note).toContain('道路網がつながっていない');
    expect(r.note).toContain('歩く道順ではありません');
    expect(r.line).toEqual([[140.6999, 40.8001], target.coordinates]);
    expect(r.direction).toBe('東');
    expect(r.steps).toEqual([{ text: expect.stringContaining('テスト避難場所cまで東へ直線で 1.7 km'), metres: expect.any(Number) }]);
  });

  it('falls back to a straight line without a network, or when the start is far from every road', () => {
    expect(planRoute(undefined, A, target)).toMatchObject({ mode: 'straight', note: expect.stringContaining('道路網のデータがない') });
    expect(planRoute(buildNetwork(roads), [140.8, 40.9], target)).toMatchObject({
      mode: 'straight',
      note: expect.stringContaining('近くに道路網のデータがない'),
    });
  });

  it('names the 16 directions from the bearing', () => {
    expect(direction(bearing([140.7, 40.8], [140.7, 40.9]))).toBe('北');
    expect(direction(bearing([140.7, 40.8], [140.8, 40.9]))).toBe('北東');
    expect(direction(bearing([140.7, 40.8], [140.7, 40.7]))).toBe('南');
    expect(direction(bearing([140.7, 40.8], [140.6, 40.8]))).toBe('西');
    expect(direction(22.5)).toBe('北北東');
    expect(direction(350)).toBe('北');
  });

  it('chooses the nearest shelter designated for the hazard; an open one first when any is known open; never a closed one', () => {
    const near = shelter('near', [140.701, 40.8]);
    const far = shelter('far', [140.75, 40.8]);
    const quake = shelter('quake', [140.7001, 40.8], { hazards: ['earthquake'] });
    const evacuation = shelter('evac', [140.7001, 40.8], { kind: 'evacuation', hazards: ['tsunami'] });
    expect(nearestShelter([far, near, quake, evacuation], A, 'tsunami')).toEqual({ shelter: near, rule: 'designated' });
    const farOpen = { ...far, status: 'open' as const };
    expect(nearestShelter([farOpen, near], A, 'tsunami')).toEqual({ shelter: farOpen, rule: 'open' });
    expect(nearestShelter([far, { ...near, status: 'closed' }], A, 'tsunami')).toEqual({ shelter: far, rule: 'designated' });
    expect(nearestShelter([near, far], A, 'volcano')).toBeUndefined();
  });
});
