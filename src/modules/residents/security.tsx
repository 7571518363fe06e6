// /my/security: the resident's passkeys (added, last used), adding one (a JavaScript ceremony,
// the only script on マイページ) and removing one. Signed-in only: mounted after requireResident.
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import { Csrf, myPage, type Env } from './page.tsx';
import { allowOwnScripts, answerJson, CeremonyForm, CeremonyScripts, formFields } from './passkey-ceremony.tsx';
import { NEEDS_HOST_NAME, registrationOptions, removePasskey, verifyRegistration, type RelyingParty } from './passkeys.ts';
import { listPasskeys } from './repository-passkeys.ts';

const dateTime = (d: Date | null) =>
  d
    ? d.toLocaleString('ja-JP', {
        timeZone: 'Asia/Tokyo',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '未使用';

export function securityRoutes(db: Db, rp: RelyingParty) {
  const app = new Hono<Env>();
  app.get('/my/security', async (c) => {
    const passkeys = await listPasskeys(db, c.get('residentId'));
    allowOwnScripts(c);
    return myPage(
      c,
      'パスキー',
      <>
        <h1>パスキー</h1>
        <p>パスキーを登録すると、スマートフォンの画面ロック（指紋・顔・PIN）だけでサインインできます。</p>
        {passkeys.length === 0 ? (
          <p>登録されたパスキーはありません。</p>
        ) : (
          <ul class="passkeys">
            {passkeys.map((p) => (
              <li>
                <p>
                  <strong>{p.name}</strong>
                  <br />
                  追加：{dateTime(p.createdAt)}
                  <br />
                  最終利用：{dateTime(p.lastUsedAt)}
                </p>
                <form method="post" action={`/my/security/passkeys/${p.id}/delete`}>
                  <Csrf c={c} />
                  <button type="submit" class="button" aria-label={`${p.name}（${dateTime(p.createdAt)}追加）を削除`}>
                    削除
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h2>パスキーを追加</h2>
        {rp.usable ? (
          <>
            <CeremonyForm kind="register" action="/my/security/passkeys" label="パスキーを追加">
              <Csrf c={c} />
            </CeremonyForm>
            <CeremonyScripts />
          </>
        ) : (
          <p>{NEEDS_HOST_NAME}</p>
        )}
      </>,
    );
  });
  app.post('/my/security/passkeys/options', (c) =>
    answerJson(c, async () => c.json(await registrationOptions(db, rp, c.get('residentId')))),
  );
  app.post('/my/security/passkeys/verify', (c) =>
    answerJson(c, async () => {
      await verifyRegistration(db, rp, c.get('residentId'), (await formFields(c)).response ?? '');
      return c.json({ location: '/my/security' });
    }),
  );
  app.post('/my/security/passkeys/:id/delete', async (c) => {
    await removePasskey(db, c.get('residentId'), c.req.param('id'));
    return c.redirect('/my/security', 303);
  });
  return app;
}
