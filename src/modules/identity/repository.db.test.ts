// The lockout as the repository writes it: the count and the lock's end are one atomic update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { createAccount } from './commands/create-account.ts';
import { findAccountById, recordFailedLogin } from './repository.ts';

let database: Database;
let id: string;

beforeAll(async () => {
  database = await createTestDb('empty');
  ({ id } = await createAccount(database.db, {
    email: 'dx@example.jp',
    name: 'dx',
    password: 'a long enough password',
    roles: ['department_editor'],
    department: '総合政策部DX推進課',
  }));
});
afterAll(() => database.close());

describe('sign-in lockout', () => {
  it('locks an account after five failed sign-ins', async () => {
    for (let i = 0; i < 5; i++) await recordFailedLogin(database.db, id, 5, 15);
    const a = await findAccountById(database.db, id);
    expect(a!.failedAttempts).toBe(5);
    expect(a!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });
});
