import { describe, expect, it } from 'vitest';
import { alertSlug, fromEntity, toEntity, type Alert } from './alert.ts';
import { capTime } from './cap.ts';

describe('alert slugs and the entity shape', () => {
  it('a URL-safe unique part is the slug; any other id gets "~" and base64url of the whole id', () => {
    expect(alertSlug('urn:ngsi-ld:Alert:staff-abc-0123abcd')).toBe('staff-abc-0123abcd');
    const odd = 'urn:ngsi-ld:Alert:市/1?x';
    expect(alertSlug(odd)).toBe(`~${Buffer.from(odd).toString('base64url')}`);
    expect(alertSlug('urn:ngsi-ld:Alert:x.cap')).toMatch(/^~/); // never taken for the CAP URL
    expect(alertSlug('urn:ngsi-ld:Other:x')).toMatch(/^~/);
  });

  it('toEntity and fromEntity keep an alert, one municipality and the version history included', () => {
    const a: Alert = {
      id: 'urn:ngsi-ld:Alert:staff-1',
      kind: 'evacuationOrder',
      headline: 'h',
      description: 'd',
      easyJapanese: 'e',
      severity: 'high',
      municipalities: ['02201'],
      status: 'updated',
      issued: '2026-12-02T01:00:00.000Z',
      updated: '2026-12-02T02:00:00.000Z',
      source: 'staff:02201',
      history: ['2026-12-02T01:00:00.000Z'],
    };
    // keyValues as the broker gives it: a one-element array comes back as its element.
    const kv = Object.fromEntries(
      Object.entries(toEntity(a)).map(([k, v]) => {
        const value = (v as { value?: unknown }).value;
        return [k, typeof v === 'object' && v !== null ? (Array.isArray(value) && value.length === 1 ? value[0] : value) : v];
      }),
    );
    expect(fromEntity(kv)).toEqual(a);
  });

  it('OASIS CAP 1.2 §3.3.2 DateTime: JST with a numeric offset, no "Z"', () => {
    expect(capTime('2026-12-02T15:30:00.000Z')).toBe('2026-12-03T00:30:00+09:00');
  });
});
