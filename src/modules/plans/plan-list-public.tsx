// The home page, the platform's front door: the plans and goals, and the data linkage platform.
import { formatDate } from '../../web/format.ts';
import { href } from '../../web/layout.tsx';
import { Ja, Name } from '../../web/lang.tsx';
import { messages, type Lang } from '../../web/messages.ts';
import type { PlansQueries } from './index.ts';
import type { Page } from './page.ts';

export function planListPage(rows: Awaited<ReturnType<PlansQueries['plans']>>, lang: Lang): Page {
  const m = messages[lang];
  return {
    title: m.siteName,
    body: (
      <>
        <h1>{m.siteName}</h1>
        <p>{m.frontIntro}</p>
        <h2>{m.frontPlans}</h2>
        <ul class="cards">
          {rows.map(({ plan, latestAsOf }) => (
            <li class="card">
              <h2 style="border:0;margin:0;font-size:var(--font-size-18)">
                <a href={href(`/plans/${plan.id}`, lang)}>
                  <Name lang={lang} name={plan.name} en={plan.nameEn} />
                  {plan.kind === 'dashboard' ? ` ${m.dashboard}` : ''}
                </a>
              </h2>
              <p class="meta">
                {plan.kind === 'dashboard' ? (
                  latestAsOf ? (
                    m.latestPublication(formatDate(latestAsOf, lang))
                  ) : (
                    m.noPublication
                  )
                ) : (
                  <Ja lang={lang}>{plan.owner}</Ja>
                )}
              </p>
            </li>
          ))}
        </ul>
        <h2>{m.frontData}</h2>
        <p>{m.frontDataText}</p>
        <ul>
          <li>
            <a href="/ngsi-ld/v1/types">{m.frontDataLinks[0]}</a>
          </li>
          <li>
            <a href="/api/v1/plans">{m.frontDataLinks[1]}</a>
          </li>
        </ul>
      </>
    ),
  };
}
