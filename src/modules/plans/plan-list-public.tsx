// The home page: the list of plans.
import { formatDate } from '../../web/format.ts';
import { href } from '../../web/layout.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { PlansQueries } from './index.ts';
import type { Page } from './page.ts';

export function planListPage(rows: Awaited<ReturnType<PlansQueries['plans']>>, lang: Lang): Page {
  const m = messages[lang];
  return {
    title: m.plans,
    body: (
      <>
        <h1>{m.plans}</h1>
        <p>青森県と県内市町村が共同で運用する計画・KPIの公開ページです。</p>
        <ul class="cards">
          {rows.map(({ plan, latestAsOf }) => (
            <li class="card">
              <h2 style="border:0;margin:0;font-size:var(--font-size-18)">
                <a href={href(`/plans/${plan.id}`, lang)}>
                  {plan.name}
                  {plan.kind === 'dashboard' ? ` ${m.dashboard}` : ''}
                </a>
              </h2>
              <p class="meta">
                {plan.kind === 'dashboard'
                  ? latestAsOf
                    ? `最新の公表: ${formatDate(latestAsOf)}時点`
                    : '公表版はまだありません'
                  : plan.owner}
              </p>
            </li>
          ))}
        </ul>
      </>
    ),
  };
}
