// What the registry's forms send, checked once: a unit's name as people will read it everywhere.
import { z } from 'zod';

export const unitName = z
  .string()
  .trim()
  .min(1, '名称を入力してください。')
  .max(50, '名称は50文字以内にしてください。')
  // A tab or a newline pasted from a spreadsheet would show on every page and in every export.
  .refine((s) => !/\p{Cc}/u.test(s), '名称に制御文字（改行・タブなど）は使えません。');

export const unitId = z.string().trim().min(1, '組織を一覧から選んでください。').max(200, '組織を一覧から選んでください。');
