// /my/profile: the resident's own name, address, municipality, birth date and phone (the profile).
import { Hono, type Context } from 'hono';
import { badRequest, type FormStatus } from '../../platform/errors.ts';
import { submitForm } from '../workspace/form.ts';
import { categoryOf } from './categories.ts';
import { Field, FormMessage, posted, refusal, type MyDeps, type Refused } from './my-form.tsx';
import { readOwnData } from './own-data.ts';
import { Csrf, myPage, type Env } from './page.tsx';
import { saveProfile } from './profiles.ts';
import { findMunicipalityCode } from './repository-mydata.ts';

const fields = ['name', 'address', 'birthDate', 'phone'] as const;
const label = (id: string) => categoryOf(id)!.label;

async function profilePage(c: Context<Env>, deps: MyDeps, refused?: Refused, status: 200 | FormStatus = 200) {
  const residentId = c.get('residentId');
  const [data, code, municipalities] = await Promise.all([
    readOwnData(deps.db, deps.keys, residentId, fields),
    findMunicipalityCode(deps.db, residentId),
    deps.municipalities(),
  ]);
  const value = (f: string) => (typeof data[f] === 'string' ? (data[f] as string) : '');
  const chosen = refused ? refused.values.municipalityCode : code;
  const muniInvalid = refused?.field === 'municipalityCode';
  return myPage(
    c,
    'プロフィール',
    <>
      <h1>プロフィール</h1>
      <p>ここに登録した内容は、あなたが同意した相手にだけ提供されます。</p>
      <form method="post" action="/my/profile">
        <Csrf c={c} />
        <FormMessage refused={refused} />
        <Field name="name" label={label('name')} value={value('name')} refused={refused} autocomplete="name" required />
        <p class="field">
          <label for="f-municipalityCode">お住まいの市町村（必須）</label>
          {muniInvalid && (
            <strong id="f-municipalityCode-error" class="differs" role="alert" style="display:block">
              {refused.message}
            </strong>
          )}
          <select
            id="f-municipalityCode"
            name="municipalityCode"
            required
            aria-invalid={muniInvalid ? 'true' : undefined}
            aria-describedby={muniInvalid ? 'f-municipalityCode-error' : undefined}
          >
            <option value="">選んでください</option>
            {municipalities.map((m) => (
              <option value={m.code} selected={m.code === chosen}>
                {m.name}
              </option>
            ))}
          </select>
        </p>
        <Field name="address" label={label('address')} value={value('address')} refused={refused} autocomplete="street-address" />
        <Field
          name="birthDate"
          label={label('birthDate')}
          type="date"
          value={value('birthDate')}
          refused={refused}
          autocomplete="bday"
          hint="例: 1980-04-01"
        />
        <Field name="phone" label={label('phone')} type="tel" value={value('phone')} refused={refused} autocomplete="tel" />
        <button type="submit">保存する</button>
      </form>
    </>,
    status,
  );
}

export function profileRoutes(deps: MyDeps) {
  const app = new Hono<Env>();
  app.get('/my/profile', (c) => profilePage(c, deps));
  app.post('/my/profile', async (c) => {
    const values = await posted(c);
    return submitForm(
      c,
      async () => {
        const known = (await deps.municipalities()).some((m) => m.code === values.municipalityCode);
        if (!known) throw badRequest('お住まいの市町村を一覧から選んでください。', { field: 'municipalityCode' });
        await saveProfile(deps.db, deps.keys, {
          residentId: c.get('residentId'),
          municipalityCode: values.municipalityCode ?? '',
          name: values.name ?? '',
          address: values.address ?? null,
          birthDate: values.birthDate || null,
          phone: values.phone?.trim() || null,
        });
      },
      (message, status, details) => profilePage(c, deps, refusal(message, details, values), status),
      '/my/profile',
    );
  });
  return app;
}
