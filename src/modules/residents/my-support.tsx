// /my/support: what the resident needs in an evacuation, and what help they offer (資料2-4, マイ避難
// 情報登録). Each category is one sealed data item, optional; an emptied field removes its item.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { submitForm } from '../workspace/form.ts';
import { categoryOf } from './categories.ts';
import { Field, FormMessage, posted, refusal, type MyDeps, type Refused } from './my-form.tsx';
import { readOwnData } from './own-data.ts';
import { Csrf, myPage, type Env } from './page.tsx';
import { saveItems } from './profiles.ts';
import { noControls } from './schema.ts';

/** The free-text support categories, in categories.ts' order. */
const needs = ['mobility', 'medicalDevices', 'medication', 'allergies', 'languages', 'pets'] as const;
const offers = { volunteer: 'ボランティアとして手伝える', medicalStaff: '医療関係者（医師・看護師など）', teacher: '教職員' } as const;
type Offer = keyof typeof offers;
const offerIds = Object.keys(offers) as Offer[];

const needText = (what: string) =>
  z
    .string()
    .trim()
    .max(200, `${what}は200文字以内で入力してください。`)
    .refine(...noControls(what))
    .transform((v) => v || null);

const supportInput = z.object(
  Object.fromEntries(needs.map((n) => [n, needText(categoryOf(n)!.label)])) as Record<(typeof needs)[number], ReturnType<typeof needText>>,
);

async function supportPage(c: Context<Env>, deps: MyDeps, refused?: Refused, status: 200 | FormStatus = 200) {
  const data = await readOwnData(deps.db, deps.keys, c.get('residentId'), [...needs, 'supporter']);
  const supporter = (data.supporter ?? {}) as Partial<Record<Offer, boolean>>;
  const checked = (o: Offer) => (refused ? refused.values[o] === 'on' : supporter[o] === true);
  const supporterLabel = categoryOf('supporter')!.label;
  return myPage(
    c,
    '避難のときの支援',
    <>
      <h1>避難のときの支援</h1>
      <p>
        どれも任意です。空欄にして保存すると、その項目は削除されます。「要配慮個人情報」は健康や障がいに関する情報で、特に慎重に扱います。
      </p>
      <form method="post" action="/my/support">
        <Csrf c={c} />
        <FormMessage refused={refused} />
        {needs.map((n) => {
          const cat = categoryOf(n)!;
          return (
            <Field
              name={n}
              label={cat.label}
              special={cat.special}
              value={typeof data[n] === 'string' ? (data[n] as string) : ''}
              refused={refused}
            />
          );
        })}
        <fieldset>
          <legend>{supporterLabel}</legend>
          {offerIds.map((o) => (
            <p>
              <label>
                <input type="checkbox" name={o} checked={checked(o)} /> {offers[o]}
              </label>
            </p>
          ))}
        </fieldset>
        <button type="submit">保存する</button>
      </form>
    </>,
    status,
  );
}

export function supportRoutes(deps: MyDeps) {
  const app = new Hono<Env>();
  app.get('/my/support', (c) => supportPage(c, deps));
  app.post('/my/support', async (c) => {
    const values = await posted(c);
    return submitForm(
      c,
      async () => {
        const texts = parse(supportInput, Object.fromEntries(needs.map((n) => [n, values[n] ?? ''])), '避難のときの支援');
        const offered = offerIds.filter((o) => values[o] === 'on');
        const supporter = offered.length ? Object.fromEntries(offerIds.map((o) => [o, offered.includes(o)])) : null;
        await saveItems(deps.db, deps.keys, c.get('residentId'), { ...texts, supporter });
      },
      (message, status, details) => supportPage(c, deps, refusal(message, details, values), status),
      '/my/support',
    );
  });
  return app;
}
