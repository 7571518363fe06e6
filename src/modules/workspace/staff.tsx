// Staff screens (/staff): sign-in through the common ID, reporting rounds, approval, audit trail.
// Every form carries a CSRF token; the session cookie is HttpOnly, SameSite=Lax, Secure on https.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { auditHistory, recentAudit, verifyAuditChain } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound, type FormStatus } from '../../platform/errors.ts';
import { submitForm } from './form.ts';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { TableScroll } from '../../web/layout.tsx';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import { isAbandonedSignIn, STAFF_CLIENT_ID, type IdentityModule } from '../identity/index.ts';
import { indicatorsForEntry, projectForEdit } from '../plans/index.ts';
import { updateBudget } from './commands/update-budget.ts';
import { structureRoutes, type StructureDeps } from './structure.tsx';
import { spreadsheetRoutes } from './spreadsheets.tsx';
import { brokerClientRoutes } from './broker-clients.tsx';
import { assignOwner } from './commands/assign-owner.ts';
import { openRound } from './commands/open-round.ts';
import { publishRound } from './commands/publish-round.ts';
import { reviewEntry } from './commands/review-entry.ts';
import { submitEntry } from './commands/submit-entry.ts';
import * as repo from './repository.ts';
import {
  canAssignOwner,
  canEditProjectOf,
  canEditStructure,
  canManageBrokerClients,
  canEnterIndicator,
  canOpenRound,
  canPublishRound,
  canReadAudit,
  canReview,
  canSeeIndicator,
  roleLabels,
  type Role,
} from './rules.ts';

const SESSION_COOKIE = 'renkei_staff';
const FLOW_COOKIE = 'renkei_oidc';
const SESSION_HOURS = 8;
/** The plan whose figures staff report in rounds. */
const PLAN = 'aomori-dx';

export interface WorkspaceDeps {
  db: Db;
  baseUrl: string;
  identity: IdentityModule;
  cookieSecret: string;
  /** Called after figures change or a publication is made, so public pages show it. */
  onChanged: () => void;
  /** The plans' current trees and visions, for the structure pages. */
  tree: StructureDeps['tree'];
  vision: StructureDeps['vision'];
}

const statusLabels: Record<string, string> = { submitted: '承認待ち', approved: '承認済み', returned: '差し戻し' };

export function staffRoutes(deps: WorkspaceDeps) {
  const { db, baseUrl, identity } = deps;
  const app = new Hono<Env>();
  const secure = baseUrl.startsWith('https://');
  const redirectUri = `${baseUrl}/staff/callback`;
  let config: Promise<oidc.Configuration> | undefined;
  const client = () =>
    (config ??= oidc
      .discovery(
        new URL(identity.issuer),
        STAFF_CLIENT_ID,
        identity.staffClientSecret,
        undefined,
        secure ? {} : { execute: [oidc.allowInsecureRequests] },
      )
      .catch((e) => {
        config = undefined;
        throw e;
      }));

  const render = staffPage;

  // Sign-in: an ordinary OIDC authorization-code flow with PKCE against the platform's provider.
  app.get('/staff/login', async (c) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    await setSignedCookie(c, FLOW_COOKIE, JSON.stringify({ verifier, state }), deps.cookieSecret, {
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      path: '/staff',
      maxAge: 600,
    });
    const url = oidc.buildAuthorizationUrl(await client(), {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    return c.redirect(url.href, 302);
  });

  app.get('/staff/callback', async (c) => {
    const flow = await getSignedCookie(c, deps.cookieSecret, FLOW_COOKIE);
    if (!flow) return c.redirect('/staff/login', 302);
    const { verifier, state } = JSON.parse(flow) as { verifier: string; state: string };
    const current = new URL(c.req.url);
    const tokens = await oidc
      .authorizationCodeGrant(await client(), new URL(`${redirectUri}${current.search}`), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      })
      .catch((err: unknown) => {
        if (isAbandonedSignIn(err)) return undefined;
        throw err;
      });
    // A reload or the back button after signing in: sign in again (at once, while the ID's session lasts).
    if (!tokens) return c.redirect('/staff/login', 302);
    const sub = tokens.claims()!.sub;
    const id = randomBytes(32).toString('base64url');
    await repo.insertSession(db, {
      id,
      accountId: sub,
      csrf: randomBytes(24).toString('base64url'),
      idToken: tokens.id_token ?? null,
      expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000),
    });
    deleteCookie(c, FLOW_COOKIE, { path: '/staff' });
    setCookie(c, SESSION_COOKIE, id, { httpOnly: true, secure, sameSite: 'Lax', path: '/', maxAge: SESSION_HOURS * 3600 });
    return c.redirect('/staff', 303);
  });

  app.get('/staff/signed-out', (c) =>
    render(
      c,
      'サインアウトしました',
      <p>
        <a href="/staff/login">もう一度サインインする</a>
      </p>,
    ),
  );

  // Everything else needs a live session; POSTs also a matching CSRF token.
  app.use('/staff/*', async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? await repo.findLiveSession(db, id) : undefined;
    const account = session ? await identity.findAccount(session.accountId) : undefined;
    if (!session || !account) return c.redirect('/staff/login', 302);
    if (c.req.method === 'POST') {
      const body = await c.req.parseBody();
      const token = typeof body.csrf === 'string' ? body.csrf : '';
      const ok = token.length === session.csrf.length && timingSafeEqual(Buffer.from(token), Buffer.from(session.csrf));
      if (!ok) throw new AppError(400, 'csrf', 'フォームの有効期限が切れたか、不正な送信です。ページを開き直してから操作してください。');
    }
    c.set('actor', {
      id: account.id,
      name: account.name,
      roles: account.roles as Role[],
      department: account.department,
      municipalityCode: account.municipalityCode,
    });
    c.set('csrf', session.csrf);
    c.set('sessionId', session.id);
    await next();
  });
  app.get('/staff', async (c) => home(c));
  app.route('/', structureRoutes({ db, tree: deps.tree, vision: deps.vision, onChanged: deps.onChanged }));

  async function home(c: Context<Env>, error?: string, status: 200 | FormStatus = 200) {
    const actor = c.get('actor');
    const rounds = await repo.listRounds(db, PLAN);
    const open = rounds.find((r) => r.status === 'open');
    return render(
      c,
      '職員ページ',
      <>
        <h1>職員ページ</h1>
        <p>
          {actor.name}（{actor.roles.map((r) => roleLabels[r]).join('・')}
          {actor.department ? `／${actor.department}` : ''}）
        </p>
        <Alert message={error} />
        <h2>報告ラウンド（青森県DX推進プラン）</h2>
        <ul>
          {rounds.map((r) => (
            <li>
              <a href={`/staff/rounds/${r.id}`}>{r.label}</a>（提出期限 {r.dueDate}、{r.status === 'open' ? '受付中' : '公表済み'}）
            </li>
          ))}
          {rounds.length === 0 && <li>まだありません。</li>}
        </ul>
        {canOpenRound(actor) && !open && (
          <form method="post" action="/staff/rounds" class="filters">
            <Csrf c={c} />
            <label>
              名称（時点）
              <input name="label" required placeholder="2025年7月末時点" />
            </label>
            <label>
              時点
              <input name="asOf" type="date" required />
            </label>
            <label>
              提出期限
              <input name="dueDate" type="date" required />
            </label>
            <button type="submit">報告ラウンドを開く</button>
          </form>
        )}
        {actor.roles.includes('municipality_editor') && (
          <p>
            連携事業の事業費見込額は、各事業の職員ページ（<code>/staff/projects/事業番号</code>）で更新できます（連携中枢都市の編集者）。
          </p>
        )}
        {canReadAudit(actor) && (
          <p>
            <a href="/staff/audit">監査ログ</a>
          </p>
        )}
        <p>
          <a href="/staff/spreadsheets">スプレッドシートで更新する（事業費見込額・中間指標・具体的取組）</a>
        </p>
        {canEditStructure(actor) && (
          <ul>
            <li>
              <a href="/staff/structure/aomori-dx">構成の編集（青森県DX推進プラン）</a>
            </li>
            <li>
              <a href="/staff/structure/aomori-regional-vision">版と事業の編集（青森圏域連携中枢都市圏ビジョン）</a>
            </li>
          </ul>
        )}
        {canManageBrokerClients(actor) && (
          <p>
            <a href="/staff/broker-clients">データ連携基盤のクライアント（アクセストークンの発行先）</a>
          </p>
        )}
        <form method="post" action="/staff/logout">
          <Csrf c={c} />
          <button type="submit">サインアウト</button>
        </form>
      </>,
      status,
    );
  }

  async function roundPage(c: Context<Env>, roundId: number, error?: string, status: 200 | FormStatus = 200) {
    const actor = c.get('actor');
    const round = await repo.findRound(db, roundId);
    if (!round) throw notFound('報告ラウンド');
    const indicators = (await indicatorsForEntry(db, round.planId)).filter((i) => canSeeIndicator(actor, i));
    const entries = new Map((await repo.listEntries(db, round.id)).map((e) => [e.indicatorId, e]));
    const today = new Date().toISOString().slice(0, 10);
    const overdue = round.status === 'open' && today > round.dueDate;
    const late = indicators.filter((i) => i.ownerDepartment && !entries.has(i.id));
    return render(
      c,
      round.label,
      <>
        <h1>報告ラウンド: {round.label}</h1>
        <p>
          時点 {round.asOf}／提出期限 {round.dueDate}
          {overdue && <strong class="differs">（期限を過ぎています）</strong>}／{round.status === 'open' ? '受付中' : '公表済み'}
        </p>
        <Alert message={error} />
        {canOpenRound(actor) && round.status === 'open' && (
          <p>
            未提出: <strong>{late.length}件</strong>
            {late.length > 0 && `（${[...new Set(late.map((i) => i.ownerDepartment))].join('、')}）`}
          </p>
        )}
        <TableScroll label="指標と入力">
          <table>
            <thead>
              <tr>
                <th scope="col">指標</th>
                <th scope="col">担当部局</th>
                <th scope="col" class="num">
                  前回の値
                </th>
                <th scope="col">今回の入力</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {indicators.map((i) => {
                const e = entries.get(i.id);
                return (
                  <tr id={`i-${i.code}`}>
                    <th scope="row">
                      {i.name}
                      <span class="period">{i.code}</span>
                    </th>
                    <td>
                      {canAssignOwner(actor) ? (
                        <form method="post" action={`/staff/indicators/${i.code}/owner`}>
                          <Csrf c={c} />
                          <input name="department" value={i.ownerDepartment ?? ''} aria-label={`${i.name}の担当部局`} />
                          <button type="submit">設定</button>
                        </form>
                      ) : (
                        (i.ownerDepartment ?? '未設定')
                      )}
                    </td>
                    <td class="num">
                      {i.latest ? `${formatNumber(i.latest.value)}${i.unit}` : UNKNOWN}
                      <span class="period">{i.latest ? `（${i.latest.periodLabel}）` : ''}</span>
                    </td>
                    <td>
                      {e ? (
                        <>
                          {formatNumber(e.value)}
                          {i.unit}（{e.periodLabel}）<span class="badge">{statusLabels[e.status]}</span>
                          {e.reviewComment && <span class="period">差し戻し理由: {e.reviewComment}</span>}
                        </>
                      ) : (
                        '未入力'
                      )}
                    </td>
                    <td>
                      {round.status === 'open' && canEnterIndicator(actor, i) && e?.status !== 'approved' && (
                        <form method="post" action={`/staff/rounds/${round.id}/indicators/${i.code}`} class="filters">
                          <Csrf c={c} />
                          <label>
                            値<input name="value" required inputmode="decimal" />
                          </label>
                          <label>
                            単位
                            <input name="unit" required value={i.unit} />
                          </label>
                          <label>
                            期間
                            <input name="periodLabel" required placeholder="R6年度" />
                          </label>
                          <label>
                            データの出所
                            <input name="source" required />
                          </label>
                          <label>
                            備考
                            <input name="note" />
                          </label>
                          <button type="submit">提出する</button>
                        </form>
                      )}
                      {round.status === 'open' && e?.status === 'submitted' && canReview(actor, e) && (
                        <form method="post" action={`/staff/rounds/${round.id}/entries/${e.id}/review`} class="filters">
                          <Csrf c={c} />
                          <label>
                            コメント（差し戻しは必須）
                            <input name="comment" />
                          </label>
                          <button type="submit" name="decision" value="approve">
                            承認する
                          </button>
                          <button type="submit" name="decision" value="return">
                            差し戻す
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
        {round.status === 'open' && canPublishRound(actor) && (
          <form method="post" action={`/staff/rounds/${round.id}/publish`}>
            <Csrf c={c} />
            <button type="submit">ラウンドを承認して公表する</button>
          </form>
        )}
        {round.status === 'published' && (
          <p>
            公表しました: <a href={`/plans/${round.planId}`}>公開ダッシュボード</a>
          </p>
        )}
      </>,
      status,
    );
  }

  const roundId = (c: Context) => {
    const n = Number(c.req.param('id'));
    if (!Number.isInteger(n) || n < 1) throw notFound('報告ラウンド');
    return n;
  };
  const attempt = (
    c: Context<Env>,
    run: () => Promise<unknown>,
    refused: (message: string, status: FormStatus) => Promise<Response>,
    to: string,
  ) => submitForm(c, run, refused, to);

  app.post('/staff/rounds', async (c) =>
    attempt(
      c,
      async () => openRound(db, c.get('actor'), PLAN, await c.req.parseBody()),
      (m, s) => home(c, m, s),
      '/staff',
    ),
  );
  app.get('/staff/rounds/:id', (c) => roundPage(c, roundId(c)));
  app.post('/staff/rounds/:id/indicators/:code', async (c) =>
    attempt(
      c,
      async () => submitEntry(db, c.get('actor'), roundId(c), c.req.param('code'), await c.req.parseBody()),
      (m, s) => roundPage(c, roundId(c), m, s),
      `/staff/rounds/${roundId(c)}#i-${c.req.param('code')}`,
    ),
  );
  app.post('/staff/rounds/:id/entries/:entry/review', async (c) =>
    attempt(
      c,
      async () => reviewEntry(db, c.get('actor'), roundId(c), Number(c.req.param('entry')), await c.req.parseBody()),
      (m, s) => roundPage(c, roundId(c), m, s),
      `/staff/rounds/${roundId(c)}`,
    ),
  );
  app.post('/staff/rounds/:id/publish', async (c) =>
    attempt(
      c,
      async () => {
        await publishRound(db, c.get('actor'), roundId(c));
        deps.onChanged();
      },
      (m, s) => roundPage(c, roundId(c), m, s),
      `/staff/rounds/${roundId(c)}`,
    ),
  );
  app.post('/staff/indicators/:code/owner', async (c) => {
    const open = (await repo.listRounds(db, PLAN)).find((r) => r.status === 'open');
    return attempt(
      c,
      async () => assignOwner(db, c.get('actor'), PLAN, c.req.param('code'), await c.req.parseBody()),
      (m, s) => (open ? roundPage(c, open.id, m, s) : home(c, m, s)),
      open ? `/staff/rounds/${open.id}` : '/staff',
    );
  });

  // Project budgets (regional vision): the lead municipality's editors.
  const VISION = 'aomori-regional-vision';
  const projectNumberOf = (c: Context) => {
    const n = Number(c.req.param('number'));
    if (!Number.isInteger(n) || n < 1) throw notFound('事業');
    return n;
  };
  async function projectPage(c: Context<Env>, number: number, error?: string, status: 200 | FormStatus = 200) {
    const p = await projectForEdit(db, VISION, number);
    if (!p || !p.leadMunicipality || !canEditProjectOf(c.get('actor'), p.leadMunicipality)) throw notFound('事業');
    const cell = (fy: number | null) => {
      const b = p.budgets.find((x) => x.fiscalYear === fy);
      return !b || b.cell === 'blank' ? '' : b.cell === 'dash' ? '－' : String(b.amount);
    };
    const fields: [string, string, number | null][] = [
      ['y2020', '2020年度', 2020],
      ['y2021', '2021年度', 2021],
      ['y2022', '2022年度', 2022],
      ['y2023', '2023年度', 2023],
      ['y2024', '2024年度', 2024],
      ['total', '計', null],
    ];
    return render(
      c,
      `No.${p.number} ${p.name}`,
      <>
        <h1>
          No.{p.number} {p.name}：事業費見込額（千円）
        </h1>
        <Alert message={error} />
        <p>整数（千円）、「－」、または空欄で入力してください。空欄と「－」は 0 とは扱いません。</p>
        <form method="post" action={`/staff/projects/${p.number}`} class="filters">
          <Csrf c={c} />
          {fields.map(([name, label, fy]) => (
            <label>
              {label}
              <input name={name} value={cell(fy)} inputmode="numeric" />
            </label>
          ))}
          <label>
            変更の理由
            <input name="reason" required />
          </label>
          <button type="submit">保存する</button>
        </form>
        <p>
          <a href={`/plans/${VISION}/projects/${p.number}`}>公開ページで見る</a>・<a href={`/staff/audit/project/${p.code}`}>変更履歴</a>
        </p>
      </>,
      status,
    );
  }
  app.get('/staff/projects/:number', (c) => projectPage(c, projectNumberOf(c)));
  app.post('/staff/projects/:number', async (c) =>
    attempt(
      c,
      async () => {
        await updateBudget(db, c.get('actor'), VISION, projectNumberOf(c), await c.req.parseBody());
        deps.onChanged();
      },
      (m, s) => projectPage(c, projectNumberOf(c), m, s),
      `/staff/projects/${projectNumberOf(c)}`,
    ),
  );

  app.route('/', spreadsheetRoutes({ db, cookieSecret: deps.cookieSecret, onChanged: deps.onChanged }));
  app.route('/', brokerClientRoutes({ db, forgetTokens: identity.forgetBrokerTokens }));

  app.post('/staff/logout', async (c) => {
    await repo.deleteSession(db, c.get('sessionId'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    const end = oidc.buildEndSessionUrl(await client(), { post_logout_redirect_uri: `${baseUrl}/staff/signed-out` });
    return c.redirect(end.href, 303);
  });

  app.get('/staff/audit', async (c) => {
    if (!canReadAudit(c.get('actor'))) throw notFound('ページ');
    const [rows, chain] = await Promise.all([recentAudit(db), verifyAuditChain(db)]);
    return render(c, '監査ログ', <AuditTable title="監査ログ（新しい順）" rows={rows} chain={chain} />);
  });
  app.get('/staff/audit/:entity/:id', async (c) => {
    if (!canReadAudit(c.get('actor'))) throw notFound('ページ');
    const rows = await auditHistory(db, c.req.param('entity'), c.req.param('id'));
    return render(
      c,
      '変更履歴',
      <AuditTable title={`変更履歴: ${c.req.param('entity')} ${c.req.param('id')}`} rows={rows} chain={await verifyAuditChain(db)} />,
    );
  });

  return app;
}

function AuditTable(props: {
  title: string;
  rows: Awaited<ReturnType<typeof recentAudit>>;
  chain: Awaited<ReturnType<typeof verifyAuditChain>>;
}) {
  return (
    <>
      <h1>{props.title}</h1>
      <p role="status">
        ハッシュチェーンの検証:{' '}
        {props.chain.ok ? (
          <strong>正常（{props.chain.checked}件）</strong>
        ) : (
          <strong class="differs">{`不整合があります（${props.chain.brokenAt}番）`}</strong>
        )}
      </p>
      <TableScroll label={props.title}>
        <table>
          <thead>
            <tr>
              <th scope="col">日時</th>
              <th scope="col">操作者</th>
              <th scope="col">操作</th>
              <th scope="col">対象</th>
              <th scope="col">変更前 → 変更後</th>
              <th scope="col">理由</th>
              <th scope="col">ハッシュ</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>{r.at}</td>
                <td>{r.actorId ?? 'システム'}</td>
                <th scope="row">{r.action}</th>
                <td>
                  <a href={`/staff/audit/${r.entity}/${encodeURIComponent(r.entityId)}`}>
                    {r.entity} {r.entityId}
                  </a>
                </td>
                <td>
                  <code>{JSON.stringify(r.before)}</code> → <code>{JSON.stringify(r.after)}</code>
                </td>
                <td>{r.reason ?? ''}</td>
                <td>
                  <code>{r.hash.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
