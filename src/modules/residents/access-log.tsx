// マイページ「閲覧記録」: who read the resident's data, for what, which items, when and on what basis.
// Refused reads are listed too: the resident sees every attempt, not only the successful ones.
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import { formatJst } from '../workspace/audit-format.ts';
import { categoryOf } from './categories.ts';
import { heldPurposeOf, purposeLabel } from './held-purposes.ts';
import { legalBasisOf } from './legal-bases.ts';
import { myPage, type Env } from './page.tsx';
import { listAccessLogOf } from './repository-gate.ts';

/** The registry's name for an organisation unit (organisations' unit query), undefined if unknown. */
export type UnitName = (id: string) => Promise<string | undefined>;

const LIMIT = 200;
const channels: Record<string, string> = { page: '職員の画面', broker: 'データ連携（NGSI-LD）', export: '書き出し' };
const actors: Record<string, string> = { staff: '職員', client: 'システム' };

export function accessLogRoutes(db: Db, unitName: UnitName) {
  const app = new Hono<Env>();
  app.get('/my/access-log', async (c) => {
    const entries = await listAccessLogOf(db, c.get('residentId'), LIMIT);
    const names = new Map<string, string>();
    for (const id of new Set(entries.flatMap((e) => (e.organisationId ? [e.organisationId] : []))))
      names.set(id, (await unitName(id)) ?? id);
    return myPage(
      c,
      '閲覧記録',
      <>
        <h1>閲覧記録</h1>
        <p>あなたの登録データを、誰が、何のために、どの項目を閲覧したか（断られたものも含む）を新しい順に表示します（最新{LIMIT}件）。</p>
        {entries.length === 0 ? (
          <p>まだ閲覧された記録はありません。</p>
        ) : (
          <ol class="access-log">
            {entries.map((e) => (
              <li>
                <h2>
                  {formatJst(e.at)} {e.organisationId ? names.get(e.organisationId) : ''}（{actors[e.actorKind] ?? e.actorKind}・
                  {channels[e.channel] ?? e.channel}）
                </h2>
                <dl>
                  <dt>利用目的</dt>
                  <dd>{purposeLabel(e.purposeId, e.basis)}</dd>
                  <dt>項目</dt>
                  <dd>{e.categories.map((id) => categoryOf(id)?.label ?? id).join('、')}</dd>
                  <dt>根拠</dt>
                  <dd>{basisText(e)}</dd>
                  {e.basis === 'legal-basis' && e.reason ? (
                    <>
                      <dt>職員が記録した理由</dt>
                      <dd>{e.reason}</dd>
                    </>
                  ) : null}
                </dl>
              </li>
            ))}
          </ol>
        )}
      </>,
    );
  });
  return app;
}

function basisText(e: { basis: string; allowed: boolean; legalBasis: string | null; purposeId: string }) {
  if (!e.allowed) return '同意も法令の根拠もないため、提供しませんでした';
  if (e.basis === 'consent') return 'あなたの同意';
  if (e.basis === 'legal-basis') return `法令に基づく提供（${(e.legalBasis && legalBasisOf(e.legalBasis)?.label) ?? e.legalBasis}）`;
  if (e.basis === 'held')
    return `預かった情報を、その利用目的の範囲で利用（${heldPurposeOf(e.purposeId)?.basis ?? '個人情報保護法 第69条第1項'}）`;
  return e.basis;
}
