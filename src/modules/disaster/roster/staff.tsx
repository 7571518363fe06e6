// Staff screens of the 避難行動要支援者名簿 (/staff/disaster/roster), for the municipality's own disaster and
// welfare staff only (rules.ts canUseRoster; anyone else gets 404): import a CSV with a preview and row
// errors, the not-yet-confirmed list by 町名・地区 with supporters and a follow-up form per person, one
// person's history, and the list as CSV for the field. Every page that shows a person opens them
// through held.ts, so each showing is in the access log; nothing here caches a page (no-store).
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { FormStatus } from '../../../platform/errors.ts';
import { Csrf, FormAlert, staffPage, submitForm, toCsv, type StaffEnv } from '../../workspace/index.ts';
import { when } from '../reports-public.tsx';
import {
  followupKinds,
  recordFollowup,
  rosterEntry,
  rosterStatus,
  startRound,
  type ConfirmationSource,
  type RosterStatus,
} from './followups.ts';
import { ImportPreview, RowErrors } from '../import-preview.tsx';
import { rosterLimits } from './parse.ts';
import { importRoster, previewRoster, type RosterDeps } from './roster.ts';
import { linkRosterEntry, UNLINK_REASON_MAX, unlinkRosterEntry } from './link.ts';
import type { ResidentsQueries } from '../../residents/index.ts';

const idPath = '/staff/disaster/roster/:id{re_[A-Za-z0-9_-]{16}}';
const plan = (v: string) => (v === '' ? '－' : v);
const noStore = (c: Context) => c.header('cache-control', 'no-store');
/** People per page of the not-yet-confirmed list (each shown person is opened and logged). */
export const PAGE = 100;

/** The not-yet-confirmed people by 町名・地区, with supporters and a follow-up form each: the roster page's and the dashboard's section. */
export function UnconfirmedSection(props: { c: Context<StaffEnv>; status: RosterStatus }) {
  const { status, c } = props;
  const open = status.total - status.confirmed;
  return (
    <section aria-labelledby="roster-unconfirmed">
      <h2 id="roster-unconfirmed">{`取り残された住民の有無: 未確認 ${open}人`}</h2>
      <p>{`名簿 ${status.total}人のうち、確認済み ${status.confirmed}人（避難所で受付済み、または無事・移動を確認）。`}</p>
      <p>
        {status.round
          ? `確認の開始: ${when(status.round)}（これより前の記録は数えません）`
          : '確認の開始はまだ記録されていません（これまでのすべての記録を数えます）。'}
      </p>
      {status.total > 0 && open === 0 && <p role="status">名簿の全員の無事または避難を確認しました。</p>}
      {open > status.shown && <p>{`${status.offset + 1}〜${status.offset + status.shown}人目を表示しています（名簿の行の順）。`}</p>}
      {status.districts.map((d, k) => (
        <section aria-labelledby={`roster-district-${k}`}>
          <h3 id={`roster-district-${k}`}>{`${d.district || '地区の記載なし'}（${d.people.length}人）`}</h3>
          {d.people.map((p) => (
            <article class="report" aria-labelledby={`roster-${p.id}`}>
              <h4 id={`roster-${p.id}`}>
                <a href={`/staff/disaster/roster/${p.id}`}>{p.name}</a>
                {p.kana && `（${p.kana}）`}
              </h4>
              <dl>
                <dt>住所</dt>
                <dd>{p.address}</dd>
                <dt>電話</dt>
                <dd>{p.phone ? <a href={`tel:${p.phone}`}>{p.phone}</a> : '－'}</dd>
                <dt>要支援の理由</dt>
                <dd>{p.reason}</dd>
                <dt>避難支援等関係者</dt>
                <dd>
                  {p.supporters.length === 0
                    ? '－'
                    : p.supporters.map((s) => (
                        <span class="supporter">
                          {s.name}
                          {s.phone && (
                            <>
                              {' '}
                              <a href={`tel:${s.phone}`}>{s.phone}</a>
                            </>
                          )}
                          <br />
                        </span>
                      ))}
                </dd>
                <dt>個別避難計画</dt>
                <dd style="white-space:pre-wrap">{plan(p.plan)}</dd>
                <dt>最新の記録</dt>
                <dd>{p.last ? `${followupKinds[p.last.kind]}（${when(p.last.at)}）` : 'まだありません'}</dd>
              </dl>
              <FollowupForm c={c} id={p.id} />
            </article>
          ))}
        </section>
      ))}
    </section>
  );
}

function Pager(props: { state: RosterStatus; page: number }) {
  const open = props.state.total - props.state.confirmed;
  const pages = Math.ceil(open / PAGE);
  if (pages <= 1) return <></>;
  return (
    <nav aria-label="未確認の人のページ">
      {props.page > 1 && <a href={`/staff/disaster/roster?page=${props.page - 1}`}>前の{PAGE}人</a>}
      {` ${props.page} / ${pages} ページ `}
      {props.page < pages && <a href={`/staff/disaster/roster?page=${props.page + 1}`}>次の{PAGE}人</a>}
    </nav>
  );
}

function FollowupForm(props: { c: Context<StaffEnv>; id: string }) {
  return (
    <form method="post" action={`/staff/disaster/roster/${props.id}/followups`} class="filters">
      <Csrf c={props.c} />
      <label>
        記録
        <select name="kind" required>
          {Object.entries(followupKinds).map(([k, label]) => (
            <option value={k}>{label}</option>
          ))}
        </select>
      </label>
      <label>
        メモ（任意）
        <input name="note" maxlength={500} />
      </label>
      <label>
        日時（空欄なら今）
        <input type="datetime-local" name="at" />
      </label>
      <button type="submit">記録する</button>
    </form>
  );
}

export function rosterScreens(deps: RosterDeps & { confirmations: readonly ConfirmationSource[]; read: ResidentsQueries['read'] }) {
  const app = new Hono<StaffEnv>();

  async function page(c: Context<StaffEnv>, result?: Child, status: 200 | FormStatus = 200) {
    const n = Number(c.req.query('page') ?? '1');
    const pageNo = Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1;
    const state = await rosterStatus(deps, c.get('actor'), deps.confirmations, { offset: (pageNo - 1) * PAGE, limit: PAGE });
    const imported = c.req.query('imported');
    noStore(c);
    return staffPage(
      c,
      '避難行動要支援者名簿',
      <>
        <h1>避難行動要支援者名簿</h1>
        <p>
          災害対策基本法
          第49条の10に基づく名簿です。この市町村の防災・福祉の担当者だけが見られます。表示した人は、そのつど個人データの利用記録に残ります。
        </p>
        {imported && <p role="status">{`名簿を取り込みました（${Number(imported) || 0}人）。`}</p>}
        {c.req.query('recorded') && <p role="status">記録しました。</p>}
        {c.req.query('round') && <p role="status">新しい確認を始めました。名簿の全員が未確認に戻りました。</p>}
        {result}
        <UnconfirmedSection c={c} status={state} />
        <Pager state={state} page={pageNo} />
        <form method="post" action="/staff/disaster/roster/rounds">
          <Csrf c={c} />
          <button type="submit">新しい確認を始める（災害の発生時。これまでの記録は数えなくなります）</button>
        </form>
        {state.total > state.confirmed && (
          <p>
            <a href="/staff/disaster/roster/unconfirmed.csv">未確認の人の一覧をCSVで保存する</a>
          </p>
        )}
        <h2>名簿の取り込み</h2>
        <p>
          CSVの列は「氏名」「生年月日」「住所」「避難支援等を必要とする事由」（必須）と「ふりがな」「性別」「町名・地区」「電話番号」「避難支援等関係者1_氏名」「避難支援等関係者1_電話」…「個別避難計画」です。取り込むと名簿はファイルの内容に置き換わります（同じ氏名・生年月日の人は記録を引き継ぎます）。1行でも誤りがあるファイルは取り込みません。
        </p>
        <form method="post" action="/staff/disaster/roster/preview" enctype="multipart/form-data" class="filters">
          <Csrf c={c} />
          <label>
            ファイル（CSV、UTF-8 または Shift_JIS、5MBまで）
            <input type="file" name="file" accept=".csv,text/csv" required />
          </label>
          <button type="submit">読み込んで確認する</button>
        </form>
      </>,
      status,
    );
  }

  /** The uploaded file, or the confirm form's text; a message when there is none or it is too large. */
  async function file(c: Context<StaffEnv>): Promise<{ name: string; bytes: Uint8Array } | string> {
    const body = await c.req.parseBody();
    if (body.file instanceof File) {
      if (body.file.size === 0) return 'ファイルを選んでください。';
      if (body.file.size > rosterLimits.bytes) return 'ファイルが大きすぎます（5MBまで）。';
      return { name: body.file.name, bytes: new Uint8Array(await body.file.arrayBuffer()) };
    }
    const content = typeof body.content === 'string' ? body.content : '';
    if (!content) return 'ファイルを選んでください。';
    return { name: String(body.fileName ?? 'upload.csv').slice(0, 200), bytes: new TextEncoder().encode(content) };
  }

  app.get('/staff/disaster/roster', (c) => page(c));

  app.post('/staff/disaster/roster/preview', async (c) => {
    const f = await file(c);
    if (typeof f === 'string') return page(c, <FormAlert message={f} />, 400);
    const parsed = previewRoster(c.get('actor'), f.bytes);
    if (parsed.errors.length) return page(c, <RowErrors errors={parsed.errors} />, 400);
    return page(
      c,
      <ImportPreview
        c={c}
        id="roster-preview"
        heading={`確認: ${parsed.people.length}人の名簿（${parsed.encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8'}）`}
        lead={`取り込むと、名簿はこの${parsed.people.length}人に置き換わります。最初の10人:`}
        columns={['氏名', '町名・地区', '要支援の理由', '支援者']}
        rows={parsed.people
          .slice(0, 10)
          .map((p) => ({ row: p.row, name: p.name, cells: [p.district || '－', p.reason, `${p.supporters.length}人`] }))}
        action="/staff/disaster/roster/import"
        file={f}
      />,
    );
  });

  app.post('/staff/disaster/roster/import', async (c) => {
    const f = await file(c);
    if (typeof f === 'string') return page(c, <FormAlert message={f} />, 400);
    return submitForm(
      c,
      () => importRoster(deps, c.get('actor'), f),
      (message, status) => page(c, <FormAlert message={message} />, status),
      (r) => c.redirect(`/staff/disaster/roster?imported=${r.people}`, 303),
    );
  });

  app.post('/staff/disaster/roster/rounds', async (c) => {
    await startRound(deps, c.get('actor'));
    return c.redirect('/staff/disaster/roster?round=1', 303);
  });

  app.get('/staff/disaster/roster/unconfirmed.csv', async (c) => {
    const state = await rosterStatus(deps, c.get('actor'), deps.confirmations, { channel: 'export' });
    const header = [
      '町名・地区',
      '氏名',
      'ふりがな',
      '住所',
      '電話番号',
      '避難支援等を必要とする事由',
      '避難支援等関係者',
      '個別避難計画',
      '最新の記録',
    ];
    const rows = state.districts.flatMap((d) =>
      d.people.map((p) => [
        d.district,
        p.name,
        p.kana,
        p.address,
        p.phone,
        p.reason,
        p.supporters.map((s) => `${s.name} ${s.phone}`.trim()).join(' / '),
        p.plan,
        p.last ? `${followupKinds[p.last.kind]} ${when(p.last.at)}` : '',
      ]),
    );
    noStore(c);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', 'attachment; filename="unconfirmed.csv"');
    return c.body(toCsv([header, ...rows]));
  });

  app.post(`${idPath}/followups`, async (c) => {
    const body = await c.req.parseBody();
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const id = c.req.param('id');
    return submitForm(
      c,
      () => recordFollowup(deps, c.get('actor'), id, { kind: text('kind'), note: text('note'), at: text('at') || undefined }),
      (message, status) => page(c, <FormAlert message={message} />, status),
      () => c.redirect(`/staff/disaster/roster?recorded=1#roster-unconfirmed`, 303),
    );
  });

  async function entryPage(c: Context<StaffEnv>, message?: string, status: 200 | FormStatus = 200) {
    const { person: p, followups } = await rosterEntry(deps, c.get('actor'), c.req.param('id')!);
    noStore(c);
    return staffPage(
      c,
      `${p.name}（避難行動要支援者名簿）`,
      <>
        <p>
          <a href="/staff/disaster/roster">名簿に戻る</a>
        </p>
        <h1>{p.name}</h1>
        <FormAlert message={message} />
        {c.req.query('linked') && <p role="status">住民アカウントと結びつけました。</p>}
        {c.req.query('unlinked') && <p role="status">住民アカウントとの結びつきを外しました。</p>}
        <dl>
          <dt>ふりがな</dt>
          <dd>{p.kana || '－'}</dd>
          <dt>生年月日</dt>
          <dd>{p.birthDate}</dd>
          <dt>性別</dt>
          <dd>{p.sex || '－'}</dd>
          <dt>住所</dt>
          <dd>{p.address}</dd>
          <dt>町名・地区</dt>
          <dd>{p.district || '－'}</dd>
          <dt>電話</dt>
          <dd>{p.phone || '－'}</dd>
          <dt>要支援の理由</dt>
          <dd>{p.reason}</dd>
          <dt>避難支援等関係者</dt>
          <dd>{p.supporters.length ? p.supporters.map((s) => `${s.name} ${s.phone}`.trim()).join('、') : '－'}</dd>
          <dt>個別避難計画</dt>
          <dd style="white-space:pre-wrap">{plan(p.plan)}</dd>
          <dt>住民アカウント</dt>
          <dd>{p.residentId ? '結びつけ済み（避難所の受付・安否の登録で確認済みになります）' : 'まだ結びつけていません'}</dd>
        </dl>
        <h2>記録</h2>
        {followups.length === 0 ? (
          <p>まだ記録はありません。</p>
        ) : (
          <ol>
            {followups.map((f) => (
              <li>{`${when(f.at)} ${followupKinds[f.kind] ?? f.kind}${f.note ? `: ${f.note}` : ''}`}</li>
            ))}
          </ol>
        )}
        <FollowupForm c={c} id={p.id} />
        <h2>住民アカウントと結びつける</h2>
        <p>
          本人のマイページの受付番号を入力すると、住民の氏名・生年月日を同意ゲートを通して読み、名簿と一致したときだけ結びつけます（本人の同意か、法令に基づく提供の記録が必要です）。
        </p>
        <form method="post" action={`/staff/disaster/roster/${p.id}/link`} class="filters">
          <Csrf c={c} />
          <label>
            受付番号
            <input name="residentId" maxlength={64} required autocomplete="off" />
          </label>
          <button type="submit">照らし合わせて結びつける</button>
        </form>
        {p.residentId && (
          <form method="post" action={`/staff/disaster/roster/${p.id}/unlink`} class="filters">
            <p>別の人のアカウントと結びついているときは、理由を記録して結びつきを外します（名簿の人と記録はそのまま残ります）。</p>
            <Csrf c={c} />
            <label>
              外す理由
              <input name="reason" maxlength={UNLINK_REASON_MAX} required autocomplete="off" />
            </label>
            <button type="submit">結びつきを外す</button>
          </form>
        )}
      </>,
      status,
    );
  }

  app.get(idPath, (c) => entryPage(c));

  app.post(`${idPath}/link`, async (c) => {
    const body = await c.req.parseBody();
    const id = c.req.param('id');
    return submitForm(
      c,
      () => linkRosterEntry(deps, c.get('actor'), id, typeof body.residentId === 'string' ? body.residentId : ''),
      (message, status) => entryPage(c, message, status),
      () => c.redirect(`/staff/disaster/roster/${id}?linked=1`, 303),
    );
  });

  app.post(`${idPath}/unlink`, async (c) => {
    const body = await c.req.parseBody();
    const id = c.req.param('id');
    return submitForm(
      c,
      () => unlinkRosterEntry(deps, c.get('actor'), id, typeof body.reason === 'string' ? body.reason : ''),
      (message, status) => entryPage(c, message, status),
      () => c.redirect(`/staff/disaster/roster/${id}?unlinked=1`, 303),
    );
  });
  return app;
}
