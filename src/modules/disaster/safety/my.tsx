// The resident's 安否確認 in マイページ (/my/disaster/safety): their own status (無事/負傷/避難中, place,
// note, the municipality told), the people linked with them and their statuses, つながりコード to make
// and to enter (enter → confirm: the second side's agreement), 安否照会コード for one lookup without a
// link, and their own record as PFIF 1.4. Plain forms, no JavaScript. Entering codes is rate-limited.
import { Hono, type Context } from 'hono';
import type { Db } from '../../../platform/db.ts';
import { isFormError, toAppError } from '../../../platform/errors.ts';
import { rateLimiter } from '../../../platform/rate-limit.ts';
import type { ResidentEnv } from '../../residents/index.ts';
import { myPage, Csrf } from '../../residents/page.tsx';
import { when } from '../reports-public.tsx';
import type { MapDataSource } from '../shelters.ts';
import type { Exchange } from './exchange.ts';
import {
  CODE_HOURS,
  LIMITS,
  safetySources,
  safetyStatuses,
  type LinkedPerson,
  type Safety,
  type SafetySource,
  type SafetyStatus,
} from './safety.ts';

export const safetySections = [{ href: '/my/disaster/safety', label: '安否確認（家族・友人）' }] as const;
/** Tries at entering a つながりコード per resident: a 40-bit code cannot be found by guessing at this pace. */
export const LINK_TRIES = { max: 10, windowMs: 15 * 60_000 } as const;

const statusText = (s: SafetyStatus | null) => (s ? safetyStatuses[s] : '未登録');
const sourceText = (s: SafetySource | null) => (s ? safetySources[s] : '－');
type Status = 200 | 400 | 404 | 409 | 422 | 429;

function Person(props: { p: LinkedPerson; c: Context<ResidentEnv> }) {
  const { p } = props;
  const name = p.displayName ?? '（表示名が未登録）';
  return (
    <li class="safety-person">
      <h3>{name}</h3>
      <p>
        <strong class={`safety-${p.status ?? 'none'}`}>{statusText(p.status)}</strong>
        {p.markedAt && `（${when(p.markedAt)}、${sourceText(p.source)}）`}
      </p>
      {p.place && <p>{`居場所: ${p.place}`}</p>}
      {p.note && <p>{`伝言: ${p.note}`}</p>}
      <form method="post" action="/my/disaster/safety/links/remove">
        <Csrf c={props.c} />
        <input type="hidden" name="record" value={p.recordId} />
        <button type="submit">{`${name}とのつながりを解除する`}</button>
      </form>
    </li>
  );
}

export function mySafetyRoutes(db: Db, safety: Safety, exchange: Exchange, map: MapDataSource['get']) {
  const app = new Hono<ResidentEnv>();
  const allow = rateLimiter(db, 'safety-link-code', LINK_TRIES.max, LINK_TRIES.windowMs);

  async function page(
    c: Context<ResidentEnv>,
    o: { message?: string; field?: string; shown?: { kind: 'link' | 'lookup'; code: string } } = {},
    status: Status = 200,
  ) {
    const me = c.get('residentId');
    const own = await safety.own(db, me);
    const linked = await safety.linked(db, me);
    const { municipalities } = await map();
    const done = c.req.query('done');
    const doneText: Record<string, string> = {
      status: '安否を登録しました。',
      name: '表示名を保存しました。',
      linked: 'つながりました。',
      removed: 'つながりを解除しました。',
    };
    return myPage(
      c,
      '安否確認',
      <>
        <h1>安否確認</h1>
        <p>
          災害のとき、自分の安否（無事・負傷・避難中）を登録すると、あらかじめつながった家族や友人が見られます。つながりは、相手に「つながりコード」を渡し、相手がそれを入力して確かめたときにだけできます。どちらからでも解除できます。
        </p>
        {done && doneText[done] && <p role="status">{doneText[done]}</p>}
        {o.message && (
          <p class="differs" role="alert">
            {o.message}
          </p>
        )}
        {o.shown && (
          <section aria-labelledby="shown-code">
            <h2 id="shown-code">{o.shown.kind === 'link' ? 'つながりコード' : '安否照会コード'}</h2>
            <p class="code">
              <code>{o.shown.code}</code>
            </p>
            <p>
              {o.shown.kind === 'link'
                ? `つながりたい家族や友人に渡してください。${CODE_HOURS}時間有効で、1回だけ使えます。この画面を離れると、もう表示できません。`
                : `このコードを渡された人は、アカウントがなくても /disaster/safety/lookup であなたの表示名と安否を1回だけ見られます。${CODE_HOURS}時間有効です。`}
            </p>
          </section>
        )}

        <h2>自分の安否</h2>
        <p>
          {own?.row.status
            ? `いまの登録: ${statusText(own.row.status as SafetyStatus)}（${when(own.row.markedAt)}、${sourceText(own.row.source as SafetySource)}）`
            : 'まだ登録していません。'}
        </p>
        <form method="post" action="/my/disaster/safety/name">
          <Csrf c={c} />
          <p class="field">
            <label for="safety-name">{`表示名（つながった人と照会した人に見えます、${LIMITS.displayName}文字まで）`}</label>
            <input
              id="safety-name"
              name="displayName"
              maxlength={LIMITS.displayName}
              value={own?.displayName ?? ''}
              required
              aria-invalid={o.field === 'displayName' ? 'true' : undefined}
            />
          </p>
          <button type="submit">表示名を保存する</button>
        </form>
        <form method="post" action="/my/disaster/safety/status">
          <Csrf c={c} />
          <fieldset>
            <legend>安否</legend>
            {(Object.keys(safetyStatuses) as SafetyStatus[]).map((s) => (
              <label class="choice">
                <input type="radio" name="status" value={s} required checked={(own?.row.status ?? 'safe') === s} /> {safetyStatuses[s]}
              </label>
            ))}
          </fieldset>
          <p class="field">
            <label for="safety-place">{`居場所（任意、${LIMITS.place}文字まで。例: 自宅、○○小学校に避難）`}</label>
            <input
              id="safety-place"
              name="place"
              maxlength={LIMITS.place}
              value={own?.place ?? ''}
              aria-invalid={o.field === 'place' ? 'true' : undefined}
            />
          </p>
          <p class="field">
            <label for="safety-note">{`伝言（任意、${LIMITS.note}文字まで）`}</label>
            <textarea id="safety-note" name="note" maxlength={LIMITS.note} rows={3} aria-invalid={o.field === 'note' ? 'true' : undefined}>
              {own?.note ?? ''}
            </textarea>
          </p>
          <p class="field">
            <label for="safety-municipality">安否を知らせる市町村（任意。選ぶと、その市町村の防災担当が安否情報として扱います）</label>
            <select id="safety-municipality" name="municipality">
              <option value="">知らせない</option>
              {[...municipalities.values()].map((m) => (
                <option value={m.code} selected={own?.row.municipality === m.code}>
                  {m.name}
                </option>
              ))}
            </select>
          </p>
          <button type="submit" class="button">
            安否を登録する
          </button>
        </form>
        <p>
          <a href="/my/disaster/safety/pfif.xml">自分の安否の記録をPFIF 1.4形式でダウンロードする</a>
        </p>

        <h2>つながっている人</h2>
        {linked.length === 0 ? (
          <p>まだだれともつながっていません。</p>
        ) : (
          <ul class="safety-people">
            {linked.map((p) => (
              <Person p={p} c={c} />
            ))}
          </ul>
        )}

        <h2>つながる</h2>
        <form method="post" action="/my/disaster/safety/codes">
          <Csrf c={c} />
          <input type="hidden" name="kind" value="link" />
          <button type="submit">つながりコードを作る</button>
        </form>
        <form method="post" action="/my/disaster/safety/links/check">
          <Csrf c={c} />
          <p class="field">
            <label for="safety-code">相手からもらったつながりコード</label>
            <input
              id="safety-code"
              name="code"
              maxlength={20}
              autocomplete="off"
              autocapitalize="characters"
              required
              aria-invalid={o.field === 'code' ? 'true' : undefined}
            />
          </p>
          <button type="submit">コードを確かめる</button>
        </form>

        <h2>つながっていない人に安否を知らせる</h2>
        <p>安否照会コードを作って渡すと、その人はあなたの表示名と安否だけを1回見られます。名前で検索することはできません。</p>
        <form method="post" action="/my/disaster/safety/codes">
          <Csrf c={c} />
          <input type="hidden" name="kind" value="lookup" />
          <button type="submit">安否照会コードを作る</button>
        </form>
      </>,
      status,
    );
  }

  /** Runs a form's command; a refused input shows the page again with the message beside its field. */
  async function run(c: Context<ResidentEnv>, fn: () => Promise<Response>): Promise<Response> {
    try {
      return await fn();
    } catch (err) {
      const e = toAppError(err);
      if (isFormError(e) || e.status === 404 || e.status === 429)
        return page(c, { message: e.message, field: (e.details as { field?: string } | undefined)?.field }, e.status as Status);
      throw err;
    }
  }
  const field = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const limited = async (c: Context<ResidentEnv>) => {
    if (await allow(c.get('residentId'))) return undefined;
    return page(c, { message: 'コードの入力が多すぎます。15分ほど待ってから、もう一度お試しください。', field: 'code' }, 429);
  };

  app.get('/my/disaster/safety', (c) => page(c));

  app.post('/my/disaster/safety/name', async (c) => {
    const body = await c.req.parseBody();
    return run(c, async () => {
      await safety.setDisplayName(db, c.get('residentId'), field(body, 'displayName'));
      return c.redirect('/my/disaster/safety?done=name', 303);
    });
  });

  app.post('/my/disaster/safety/status', async (c) => {
    const body = await c.req.parseBody();
    return run(c, async () => {
      const municipality = field(body, 'municipality');
      if (municipality && !(await map()).municipalities.has(municipality))
        return page(c, { message: '市町村を選び直してください。', field: 'municipality' }, 400);
      await safety.markSafety(db, c.get('residentId'), {
        status: field(body, 'status') as SafetyStatus,
        place: field(body, 'place'),
        note: field(body, 'note'),
        source: 'self',
        municipality: municipality || null,
      });
      return c.redirect('/my/disaster/safety?done=status', 303);
    });
  });

  app.post('/my/disaster/safety/codes', async (c) => {
    const body = await c.req.parseBody();
    const kind = field(body, 'kind');
    if (kind !== 'link' && kind !== 'lookup') return page(c, { message: '作るコードの種類が正しくありません。' }, 400);
    const code = await safety.makeCode(db, c.get('residentId'), kind);
    c.header('Cache-Control', 'no-store');
    return page(c, { shown: { kind, code } });
  });

  app.post('/my/disaster/safety/links/check', async (c) => {
    const body = await c.req.parseBody();
    const code = field(body, 'code');
    return (
      (await limited(c)) ??
      run(c, async () => {
        const name = await safety.peekLink(db, c.get('residentId'), code);
        return myPage(
          c,
          'つながりの確認',
          <>
            <h1>つながりの確認</h1>
            <p>{`「${name ?? '（表示名が未登録）'}」さんとつながりますか。つながると、おたがいの安否（居場所と伝言を含む）が見られるようになります。`}</p>
            <form method="post" action="/my/disaster/safety/links">
              <Csrf c={c} />
              <input type="hidden" name="code" value={code} />
              <button type="submit" class="button">
                つながる
              </button>
            </form>
            <p>
              <a href="/my/disaster/safety">やめる</a>
            </p>
          </>,
        );
      })
    );
  });

  app.post('/my/disaster/safety/links', async (c) => {
    const body = await c.req.parseBody();
    return (
      (await limited(c)) ??
      run(c, async () => {
        await safety.confirmLink(db, c.get('residentId'), field(body, 'code'));
        return c.redirect('/my/disaster/safety?done=linked', 303);
      })
    );
  });

  app.post('/my/disaster/safety/links/remove', async (c) => {
    const body = await c.req.parseBody();
    return run(c, async () => {
      await safety.removeLink(db, c.get('residentId'), field(body, 'record'));
      return c.redirect('/my/disaster/safety?done=removed', 303);
    });
  });

  app.get('/my/disaster/safety/pfif.xml', async (c) => {
    const xml = await exchange.own(db, c.get('residentId'));
    if (!xml) return page(c, { message: 'PFIFで出力するには、表示名と安否を登録してください。' }, 404);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', 'attachment; filename="safety-pfif.xml"');
    return c.body(xml, 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  });

  return app;
}
