import { z } from 'zod';

/** Why a change was made: required, and kept in the audit trail. */
export const reason = (what: '変更' | '追加' | '廃止' | '終了' = '変更') =>
  z.string().trim().min(1, `${what}の理由を入力してください。`).max(500);
