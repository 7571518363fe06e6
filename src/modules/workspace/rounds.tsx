// Reporting rounds on the staff screens: the home page with the rounds, and a round's entries (enter,
// submit, review, publish) with who owns each indicator (assigned on the owners page, owners.tsx).
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { formatNumber, UNKNOWN } from '../../web/format.ts';
import { TableScroll } from '../../web/layout.tsx';
import { roleLabels } from '../identity/index.ts';
import { canManageUnits, unitNames } from '../organisations/index.ts';
import { canAssignOwner, canEditStructure } from '../plans/index.ts';
import { entryInput } from './commands/submit-entry.ts';
import { openRoundInput } from './commands/open-round.ts';
import { reviewInput } from './commands/review-entry.ts';
import { publishInput } from './commands/publish-round.ts';
import { missingForPublication } from './missing.ts';
import type { StaffScreens, WorkspaceCommands } from './index.ts';
import type { WorkspaceContext } from './commands/context.ts';
import { EntryForm, refusedField, typedValues, type Refused } from './entry-form.tsx';
import { submitForm } from './form.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import { reportablePlan, reportablePlans } from './plan-of-kind.ts';
import * as repo from './repository.ts';
import {
  canEnterIndicator,
  canManageAccounts,
  canProtectData,
  canManageBrokerClients,
  canOpenRound,
  canPublishRound,
  canReadAudit,
  canReview,
  canSeeIndicator,
} from './rules.ts';

const statusLabels: Record<string, string> = { submitted: '承認待ち', approved: '承認済み', returned: '差し戻し' };

export function roundRoutes(deps: WorkspaceContext & { commands: WorkspaceCommands; screens?: StaffScreens[] }) {
  const { db, plans, organisations, commands } = deps;
  const app = new Hono<Env>();

  async function home(c: Context<Env>, error?: string, status: 200 | FormStatus = 200) {
    const actor = c.get('actor');
    // A database without the plans (a fresh one) still has a home page.
    const reportable = await reportablePlans(plans);
    const plan = reportable.find((p) => p.kind === 'dashboard');
    const cityPlan = reportable.find((p) => p.kind === 'policy_tree');
    const [vision] = await plans.queries.plansOfKind('vision');
    const rounds = (
      await Promise.all(reportable.map(async (p) => (await repo.listRounds(db, p.id)).map((r) => ({ ...r, plan: p.name }))))
    ).flat();
    // A round is for one plan, chosen by the administrator; each plan has at most one open round.
    const openable = reportable.filter((p) => !rounds.some((r) => r.planId === p.id && r.status === 'open'));
    const name = unitNames(await organisations.queries.units());
    return staffPage(
      c,
      '職員ページ',
      <>
        <h1>職員ページ</h1>
        <p>
          {actor.name}（{actor.roles.map((r) => roleLabels[r]).join('・')}
          {actor.department ? `／${name(actor.department)}` : ''}）
        </p>
        <Alert message={error} />
        <h2>報告ラウンド</h2>
        <ul>
          {rounds.map((r) => (
            <li>
              <a href={`/staff/rounds/${r.id}`}>{r.label}</a>（{r.plan}、提出期限 {r.dueDate}、{r.status === 'open' ? '受付中' : '公表済み'}
              ）
            </li>
          ))}
          {rounds.length === 0 && <li>まだありません。</li>}
        </ul>
        {canOpenRound(actor) && openable.length > 0 && (
          <form method="post" action="/staff/rounds" class="filters">
            <Csrf c={c} />
            <label>
              計画
              <select name="planId">
                {openable.map((p) => (
                  <option value={p.id}>{p.name}</option>
                ))}
              </select>
            </label>
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
        {canAssignOwner(actor) && (
          <p>
            <a href="/staff/owners">担当部局の設定（指標をまとめて割り当てる）</a>
          </p>
        )}
        {canManageUnits(actor) && (
          <p>
            <a href="/staff/organisations">組織一覧（部局・課・市町村）</a>
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
            {plan && (
              <li>
                <a href={`/staff/structure/${plan.id}`}>構成の編集（{plan.name}）</a>
              </li>
            )}
            {vision && (
              <li>
                <a href={`/staff/structure/${vision.id}`}>版と事業の編集（{vision.name}）</a>
              </li>
            )}
            {cityPlan && (
              <li>
                <a href={`/staff/measures/${cityPlan.id}`}>指標の登録（{cityPlan.name}）</a>
              </li>
            )}
          </ul>
        )}
        {canManageBrokerClients(actor) && (
          <p>
            <a href="/staff/broker-clients">データ連携基盤のクライアント（アクセストークンの発行先）</a>
          </p>
        )}
        {canProtectData(actor) && (
          <p>
            <a href="/staff/data-protection">個人データの保護（同意・閲覧記録・開示と削除の請求）</a>
          </p>
        )}
        {canManageAccounts(actor) && (
          <p>
            <a href="/staff/accounts">アカウント管理（招待・役割・停止・再設定）</a>
          </p>
        )}
        {(deps.screens ?? [])
          .flatMap((s) => s.links(actor))
          .map((l) => (
            <p>
              <a href={l.href}>{l.label}</a>
            </p>
          ))}
        <p>
          <a href="/staff/me">アカウント設定（パスワード・リカバリーコード・サインイン履歴）</a>
        </p>
        <form method="post" action="/staff/logout">
          <Csrf c={c} />
          <button type="submit">サインアウト</button>
        </form>
      </>,
      status,
    );
  }

  async function roundPage(c: Context<Env>, roundId: number, error?: string, status: 200 | FormStatus = 200, refused?: Refused) {
    const actor = c.get('actor');
    const round = await repo.findRound(db, roundId);
    if (!round) throw notFound('報告ラウンド');
    const indicators = (await plans.queries.indicatorsForEntry(round.planId)).filter((i) => canSeeIndicator(actor, i));
    const entries = new Map((await repo.listEntries(db, round.id)).map((e) => [e.indicatorId, e]));
    const today = new Date().toISOString().slice(0, 10);
    const overdue = round.status === 'open' && today > round.dueDate;
    const late = indicators.filter((i) => i.ownerDepartment && !entries.has(i.id));
    const unowned = indicators.filter((i) => !i.ownerDepartment);
    const name = unitNames(await organisations.queries.units());
    const missing = missingForPublication(
      indicators,
      new Set([...entries.values()].filter((e) => e.status === 'approved').map((e) => e.indicatorId)),
      name,
    );
    const refusedIndicator = refused && indicators.find((i) => i.code === refused.form);
    return staffPage(
      c,
      round.label,
      <>
        <h1>報告ラウンド: {round.label}</h1>
        <p>
          時点 {round.asOf}／提出期限 {round.dueDate}
          {overdue && <strong class="differs">（期限を過ぎています）</strong>}／{round.status === 'open' ? '受付中' : '公表済み'}
        </p>
        <Alert message={error} />
        {refusedIndicator && (
          <p class="differs" role="alert">
            入力を受け付けませんでした。{refused.message}（<a href={`#i-${refusedIndicator.code}`}>指標の行へ</a>
            。入力した内容はそのまま残っています）
          </p>
        )}
        {canOpenRound(actor) && round.status === 'open' && (
          <p>
            未提出（担当部局のある指標）: <strong>{late.length}件</strong>
            {late.length > 0 && `（${[...new Set(late.map((i) => name(i.ownerDepartment!)))].join('、')}）`}
            ／担当部局が未設定の指標: <strong>{unowned.length}件</strong>
            {unowned.length > 0 && (
              <>
                （入力を求める相手がいません。
                <a href={`/staff/owners?plan=${round.planId}&filter=unassigned`}>担当部局を設定してください</a>）
              </>
            )}
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
                    <td>{i.ownerDepartment ? name(i.ownerDepartment) : '未設定'}</td>
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
                        <EntryForm c={c} roundId={round.id} indicator={i} refused={refused?.form === i.code ? refused : undefined} />
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
            {missing.summary && (
              <p>
                <label>
                  <input type="checkbox" name="confirmMissing" value={missing.summary} required />
                  未提出の部局（{missing.summary}）があることを確認しました
                </label>
              </p>
            )}
            <button type="submit">ラウンドを承認して公表する</button>
          </form>
        )}
        {round.status === 'published' && (
          <p>
            公表しました: <a href={`/plans/${round.planId}`}>公開ページ</a>
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
  const body = (c: Context) => c.req.parseBody();

  app.get('/staff', (c) => home(c));
  app.post('/staff/rounds', async (c) =>
    submitForm(
      c,
      async () => {
        const form = await body(c);
        const plan = await reportablePlan(plans, form.planId);
        return commands.openRound(c.get('actor'), { planId: plan.id, ...parse(openRoundInput, form, '報告ラウンド') });
      },
      (m, s) => home(c, m, s),
      '/staff',
    ),
  );
  app.get('/staff/rounds/:id', (c) => roundPage(c, roundId(c)));
  app.post('/staff/rounds/:id/indicators/:code', async (c) => {
    const code = c.req.param('code');
    const form = await body(c);
    return submitForm(
      c,
      async () => commands.submitEntry(c.get('actor'), { roundId: roundId(c), indicatorCode: code, ...parse(entryInput, form, '値') }),
      async (message, s, details) => {
        // The message beside the indicator's form, naming it; what was typed stays in the fields.
        const indicator = (await plans.queries.indicatorsForEntry((await repo.findRound(db, roundId(c)))?.planId ?? '')).find(
          (i) => i.code === code,
        );
        const named = indicator ? `「${indicator.name}」: ${message.replace(/^値: /, '')}` : message;
        return roundPage(c, roundId(c), undefined, s, {
          form: code,
          values: typedValues(form),
          message: named,
          field: refusedField(details),
        });
      },
      `/staff/rounds/${roundId(c)}#i-${code}`,
    );
  });
  app.post('/staff/rounds/:id/entries/:entry/review', async (c) =>
    submitForm(
      c,
      async () =>
        commands.reviewEntry(c.get('actor'), {
          roundId: roundId(c),
          entryId: Number(c.req.param('entry')),
          ...parse(reviewInput, await body(c), '審査'),
        }),
      (m, s) => roundPage(c, roundId(c), m, s),
      `/staff/rounds/${roundId(c)}`,
    ),
  );
  app.post('/staff/rounds/:id/publish', async (c) =>
    submitForm(
      c,
      async () => commands.publishRound(c.get('actor'), { roundId: roundId(c), ...parse(publishInput, await body(c), '公表') }),
      (m, s) => roundPage(c, roundId(c), m, s),
      `/staff/rounds/${roundId(c)}`,
    ),
  );
  return app;
}
