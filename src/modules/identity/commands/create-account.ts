// Creates a staff account with a password and a new TOTP secret. The first administrator is made
// with this through the CLI (src/cli/staff.ts): there is no default account or password.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, conflict } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { hashPassword, newTotpSecret, passwordProblem, totpUri } from '../credentials.ts';
import { findAccountByEmail, insertAccount } from '../repository.ts';
import { affiliationProblem } from '../rules.ts';

export const accountInput = z.object({
  email: z.string().trim().toLowerCase().email('メールアドレスの形式が正しくありません。'),
  name: z.string().trim().min(1, '氏名を入力してください。').max(100),
  password: z.string().refine((p) => passwordProblem(p) === null, { message: 'パスワードは12文字以上256文字以内にしてください。' }),
  roles: z
    .array(z.enum(['prefecture_admin', 'plan_admin', 'department_editor', 'municipality_editor', 'approver', 'viewer']))
    .min(1, '役割を1つ以上指定してください。'),
  department: z.string().trim().max(100).nullable().default(null),
  municipalityCode: z
    .string()
    .regex(/^\d{5}$/, '市町村コードは5桁の数字です。')
    .nullable()
    .default(null),
});

/**
 * A new account as its callers hold it. Roles are plain strings (the CLI passes what was typed): the
 * command checks them, with the e-mail and the password, against `accountInput`.
 */
export interface NewAccount {
  email: string;
  name: string;
  password: string;
  roles: readonly string[];
  department?: string | null;
  municipalityCode?: string | null;
}

export async function createAccount(db: Db, account: NewAccount, actorId: string | null = null) {
  const input = parse(accountInput, account, 'アカウント');
  const problem = affiliationProblem(input);
  if (problem) throw badRequest(problem);
  if (await findAccountByEmail(db, input.email)) throw conflict('account_exists', 'このメールアドレスのアカウントはすでにあります。');
  const id = randomUUID();
  const totpSecret = newTotpSecret();
  await db.transaction(async (tx) => {
    await insertAccount(tx, {
      id,
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      totpSecret,
      roles: input.roles,
      department: input.department,
      municipalityCode: input.municipalityCode,
    });
    await appendAudit(tx, {
      actorId,
      action: 'create_account',
      entity: 'staff_account',
      entityId: id,
      after: {
        email: input.email,
        name: input.name,
        roles: input.roles,
        department: input.department,
        municipalityCode: input.municipalityCode,
      },
    });
  });
  return { id, totpSecret, totpUri: totpUri(totpSecret, input.email) };
}
