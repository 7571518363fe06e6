import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { newKey, open, seal, sealedKeyId, type KeyRing } from './crypto.ts';

const k1 = newKey();
const ring: KeyRing = { current: k1.id, keys: new Map([[k1.id, k1]]) };
const place = { table: 'resident_profiles', column: 'name', rowId: 'r-1' };

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('not refused');
};

describe('residents field encryption (AES-256-GCM)', () => {
  it('round-trips Japanese text and names its key', () => {
    const sealed = seal(ring, '青森 花子', place);
    expect(sealed).toMatch(/^v1\.k[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealedKeyId(sealed)).toBe(k1.id);
    expect(open(ring, sealed, place)).toBe('青森 花子');
    expect(open(ring, seal(ring, '', place), place)).toBe('');
  });

  it('uses a fresh IV for every value: equal plaintexts give different ciphertexts', () => {
    const a = seal(ring, '同じ値', place).split('.');
    const b = seal(ring, '同じ値', place).split('.');
    expect(a[2]).not.toBe(b[2]);
    expect(a[4]).not.toBe(b[4]);
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const parts = seal(ring, '090-1234-5678', place).split('.');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString('base64url') : p)).join('.');
      expect(refusal(() => open(ring, tampered, place)).code).toBe('resident_data_unreadable');
    }
    expect(refusal(() => open(ring, 'not sealed', place)).code).toBe('resident_data_unreadable');
  });

  it('refuses a value moved to another row, column or table (additional authenticated data)', () => {
    const sealed = seal(ring, '青森市長島1-1-1', place);
    for (const other of [{ rowId: 'r-2' }, { column: 'address' }, { table: 'other' }])
      expect(refusal(() => open(ring, sealed, { ...place, ...other })).code).toBe('resident_data_unreadable');
  });

  it('refuses an unknown key id with a message naming the id and nothing of the value', () => {
    const sealed = seal(ring, '青森 花子', place);
    const k2 = newKey();
    const e = refusal(() => open({ current: k2.id, keys: new Map([[k2.id, k2]]) }, sealed, place));
    expect(e.code).toBe('resident_key_missing');
    expect(e.status).toBe(503);
    expect(e.message).toContain(k1.id);
    expect(e.message).not.toContain(sealed.split('.')[4]);
  });

  it('refuses the same key id with other key material', () => {
    const sealed = seal(ring, '青森 花子', place);
    const forged: KeyRing = { current: k1.id, keys: new Map([[k1.id, { id: k1.id, key: randomBytes(32) }]]) };
    expect(refusal(() => open(forged, sealed, place)).code).toBe('resident_data_unreadable');
  });
});
