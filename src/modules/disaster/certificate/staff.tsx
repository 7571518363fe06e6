// Staff handling of 罹災証明書 (/staff/disaster/certificates): a municipality's editors see its
// applications (the prefecture's administrators all), open one — its name, address and description are
// opened through the residents' held fields, each opening in the resident's access log — schedule the
// survey, decide the damage grade (内閣府 運用指針) and issue; every step audited. Another municipality's
// application is a 404, like a missing one.
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../../platform/errors.ts';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../../workspace/index.ts';
import { reportImage } from '../reports.ts';
import { label, privateJpeg, when } from '../reports-public.tsx';
import { alertMunicipalitiesOf, type CertificateStep } from '../rules.ts';
import { ownReports } from '../repository-reports.ts';
import { certificateStepCommand, damageGrades, openApplication, staffCertificate, staffReader } from './certificates.ts';
import type { CertificateDeps } from './index.ts';
import { ApplicationFacts, ApplicationsTable, StatusSteps } from './views.tsx';
import { staffCertificates } from './repository.ts';

const done: Record<string, string> = {
  schedule: '調査日を決めました。',
  decide: '被害の程度を判定しました。',
  issue: '罹災証明書を交付しました。申請した住民がマイページからPDFを受け取れます。',
};

export function staffCertificateRoutes(deps: CertificateDeps) {
  const { db, map } = deps;
  const app = new Hono<StaffEnv>();

  app.get('/staff/disaster/certificates', async (c) => {
    const rows = await staffCertificates(db, alertMunicipalitiesOf(c.get('actor')));
    const { municipalities } = await map();
    return staffPage(
      c,
      '罹災証明書の申請',
      <>
        <h1>罹災証明書の申請</h1>
        <p>
          住民からの申請です。申請を開いて調査日を決め、調査のあと被害の程度を判定して交付します。
          <a href="/staff/disaster/certificates/summary">市町村ごとの件数</a>
        </p>
        {rows.length === 0 ? (
          <p>申請はありません。</p>
        ) : (
          <ApplicationsTable rows={rows} base="/staff/disaster/certificates" label="罹災証明書の申請" names={municipalities} />
        )}
      </>,
    );
  });

  async function detail(c: Context<StaffEnv>, message?: string, status: 200 | FormStatus = 200) {
    const actor = c.get('actor');
    const row = await staffCertificate(db, actor, c.req.param('id') ?? '');
    const opened = await openApplication(db, deps.residents.fields, staffReader(actor, row), row);
    const { municipalities } = await map();
    const photos = (await ownReports(db, row.residentId)).filter((r) => row.reportIds.includes(r.id));
    const base = `/staff/disaster/certificates/${row.id}`;
    const doneStep = c.req.query('done');
    return staffPage(
      c,
      '罹災証明書の申請',
      <>
        <h1>罹災証明書の申請</h1>
        {doneStep && done[doneStep] && <p role="status">{done[doneStep]}</p>}
        <FormAlert message={message} />
        <StatusSteps status={row.status} />
        <ApplicationFacts row={row} opened={opened} municipality={municipalities.get(row.municipality)?.name} />
        <h2>{`写真（${photos.length}枚）`}</h2>
        {photos.map((r) => (
          <figure>
            <img
              src={`${base}/photos/${r.id}`}
              alt={`${label(r)}の写真${r.note ? `: ${r.note}` : ''}`}
              width={Math.min(320, r.width)}
              height={Math.round((Math.min(320, r.width) * r.height) / r.width)}
              loading="lazy"
              style="max-width:100%;height:auto"
            />
            <figcaption>{`${label(r)}・撮影 ${when(r.takenAt)}`}</figcaption>
          </figure>
        ))}
        {(row.status === 'received' || row.status === 'scheduled') && (
          <form method="post" action={`${base}/schedule`}>
            <h2>調査日</h2>
            <Csrf c={c} />
            <p class="field">
              <label for="survey-on">調査日</label>
              <input id="survey-on" type="date" name="surveyOn" value={row.surveyOn ?? ''} required />
            </p>
            <button type="submit" class="button">
              {row.status === 'received' ? '調査日を決める' : '調査日を変える'}
            </button>
          </form>
        )}
        {row.status === 'scheduled' && (
          <form method="post" action={`${base}/decide`}>
            <h2>被害の程度の判定</h2>
            <Csrf c={c} />
            <fieldset>
              <legend>住家の被害の程度（内閣府「災害に係る住家の被害認定基準運用指針」、損害割合）</legend>
              {Object.entries(damageGrades).map(([k, g]) => (
                <label class="choice">
                  <input type="radio" name="grade" value={k} required /> {`${g.label}（${g.ratio}）`}
                </label>
              ))}
            </fieldset>
            <button type="submit" class="button">
              判定する
            </button>
          </form>
        )}
        {row.status === 'decided' && (
          <form method="post" action={`${base}/issue`}>
            <h2>交付</h2>
            <Csrf c={c} />
            <p>交付すると証明番号が決まり、申請した住民がマイページからPDFを受け取れます。交付のあとは判定を変えられません。</p>
            <button type="submit" class="button">
              罹災証明書を交付する
            </button>
          </form>
        )}
        {row.status === 'issued' && (
          <p>
            {`証明番号: ${row.code} `}
            <a href={`${base}/certificate.pdf`}>交付した罹災証明書（PDF）</a>
          </p>
        )}
        <p>
          <a href="/staff/disaster/certificates">申請の一覧へ</a>
        </p>
      </>,
      status,
    );
  }

  app.get('/staff/disaster/certificates/:id{[0-9a-f-]{36}}', (c) => detail(c));

  for (const step of ['schedule', 'decide', 'issue'] as const satisfies CertificateStep[]) {
    app.post(`/staff/disaster/certificates/:id/${step}`, async (c) => {
      const body = await c.req.parseBody();
      const id = c.req.param('id');
      const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, 100) : undefined);
      return submitForm(
        c,
        () => certificateStepCommand(db, c.get('actor'), id, step, { surveyOn: field('surveyOn'), grade: field('grade') }),
        (message, status) => detail(c, message, status),
        `/staff/disaster/certificates/${id}?done=${step}`,
      );
    });
  }

  app.get('/staff/disaster/certificates/:id/photos/:report', async (c) => {
    const actor = c.get('actor');
    const row = await staffCertificate(db, actor, c.req.param('id'));
    const report = c.req.param('report');
    // Only the photos the applicant chose, and still theirs.
    const img = row.reportIds.includes(report) ? await reportImage(db, report, { residentId: row.residentId }) : undefined;
    if (!img) throw notFound('写真');
    return privateJpeg(c, img);
  });

  app.get('/staff/disaster/certificates/:id/certificate.pdf', async (c) => {
    const actor = c.get('actor');
    const row = await staffCertificate(db, actor, c.req.param('id'));
    if (row.status !== 'issued') throw notFound('証明書');
    return deps.pdfResponse(c, staffReader(actor, row), row);
  });
  return app;
}
