// /my/household: the people in the resident's household (氏名・続柄・生年月日), kept as one sealed
// JSON array in the `household` data item; added, changed and removed one at a time.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { badRequest, notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { submitForm } from '../workspace/form.ts';
import { categoryOf } from './categories.ts';
import { Field, FormMessage, posted, refusal, type MyDeps, type Refused } from './my-form.tsx';
import { readOwnData } from './own-data.ts';
import { Csrf, myPage, type Env } from './page.tsx';
import { saveItems } from './profiles.ts';
import { noControls } from './schema.ts';

export const maxMembers = 20;

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what}を入力してください。`)
    .max(max, `${what}は${max}文字以内で入力してください。`)
    .refine(...noControls(what));

const memberInput = z.object({
  name: text(100, '氏名'),
  relationship: text(30, '続柄'),
  birthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '生年月日は YYYY-MM-DD の形式で入力してください。')
    .refine((v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().startsWith(v), '生年月日が正しい日付ではありません。')
    .nullable(),
});
type Member = z.output<typeof memberInput>;

const parseMember = (v: Record<string, string>): Member =>
  parse(memberInput, { name: v.name ?? '', relationship: v.relationship ?? '', birthDate: v.birthDate || null }, '世帯の人');

async function members(deps: MyDeps, residentId: string): Promise<Member[]> {
  const data = await readOwnData(deps.db, deps.keys, residentId, ['household']);
  return Array.isArray(data.household) ? (data.household as Member[]) : [];
}

const save = (deps: MyDeps, residentId: string, list: Member[]) =>
  saveItems(deps.db, deps.keys, residentId, { household: list.length ? list : null });

/** The member a path names; another number than one listed is missing (404). */
function indexIn(list: Member[], n: string): number {
  const i = /^\d{1,2}$/.test(n) ? Number(n) : -1;
  if (i < 0 || i >= list.length) throw notFound('世帯の人');
  return i;
}

const MemberFields = (props: { member?: Member; refused?: Refused }) => (
  <>
    <FormMessage refused={props.refused} />
    <Field name="name" label="氏名" value={props.member?.name ?? ''} refused={props.refused} required />
    <Field
      name="relationship"
      label="続柄"
      value={props.member?.relationship ?? ''}
      refused={props.refused}
      hint="例: 妻、長男、母"
      required
    />
    <Field
      name="birthDate"
      label="生年月日"
      type="date"
      value={props.member?.birthDate ?? ''}
      refused={props.refused}
      hint="例: 2010-05-05"
    />
  </>
);

async function listPage(c: Context<Env>, deps: MyDeps, refused?: Refused, status: 200 | FormStatus = 200) {
  const list = await members(deps, c.get('residentId'));
  return myPage(
    c,
    '世帯の人',
    <>
      <h1>世帯の人</h1>
      <p>
        {categoryOf('household')!.label}を登録できます（{maxMembers}人まで）。
      </p>
      {list.length === 0 ? (
        <p>まだ登録されていません。</p>
      ) : (
        <ul>
          {list.map((m, i) => (
            <li>
              {m.name}（{m.relationship}
              {m.birthDate && `、${m.birthDate}生まれ`}） <a href={`/my/household/${i}`}>変更・削除</a>
            </li>
          ))}
        </ul>
      )}
      {list.length >= maxMembers && <FormMessage refused={refused} />}
      {list.length < maxMembers && (
        <form method="post" action="/my/household">
          <h2>世帯の人を加える</h2>
          <Csrf c={c} />
          <MemberFields refused={refused} />
          <button type="submit">加える</button>
        </form>
      )}
    </>,
    status,
  );
}

async function memberPage(c: Context<Env>, deps: MyDeps, n: string, refused?: Refused, status: 200 | FormStatus = 200) {
  const list = await members(deps, c.get('residentId'));
  const member = list[indexIn(list, n)]!;
  return myPage(
    c,
    '世帯の人の変更',
    <>
      <h1>世帯の人の変更</h1>
      <form method="post" action={`/my/household/${n}`}>
        <Csrf c={c} />
        <MemberFields member={member} refused={refused} />
        <button type="submit">保存する</button>
      </form>
      <form method="post" action={`/my/household/${n}/delete`}>
        <Csrf c={c} />
        <button type="submit">{member.name}さんを世帯から削除する</button>
      </form>
      <p>
        <a href="/my/household">世帯の人の一覧へ戻る</a>
      </p>
    </>,
    status,
  );
}

export function householdRoutes(deps: MyDeps) {
  const app = new Hono<Env>();
  app.get('/my/household', (c) => listPage(c, deps));
  app.post('/my/household', async (c) => {
    const values = await posted(c);
    return submitForm(
      c,
      async () => {
        const member = parseMember(values);
        const list = await members(deps, c.get('residentId'));
        if (list.length >= maxMembers) throw badRequest(`世帯の人は${maxMembers}人まで登録できます。`);
        await save(deps, c.get('residentId'), [...list, member]);
      },
      (message, status, details) => listPage(c, deps, refusal(message, details, values), status),
      '/my/household',
    );
  });
  app.get('/my/household/:n', (c) => memberPage(c, deps, c.req.param('n')));
  app.post('/my/household/:n', async (c) => {
    const values = await posted(c);
    const list = await members(deps, c.get('residentId'));
    const i = indexIn(list, c.req.param('n'));
    return submitForm(
      c,
      () =>
        save(
          deps,
          c.get('residentId'),
          list.map((m, j) => (j === i ? parseMember(values) : m)),
        ),
      (message, status, details) => memberPage(c, deps, c.req.param('n'), refusal(message, details, values), status),
      '/my/household',
    );
  });
  app.post('/my/household/:n/delete', async (c) => {
    const list = await members(deps, c.get('residentId'));
    const i = indexIn(list, c.req.param('n'));
    await save(
      deps,
      c.get('residentId'),
      list.filter((_, j) => j !== i),
    );
    return c.redirect('/my/household', 303);
  });
  return app;
}
