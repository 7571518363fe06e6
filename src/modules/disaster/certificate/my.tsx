// The resident's side of 罹災証明書, in マイページ (/my/disaster/certificates): apply (name and address
// pre-filled from the profile through the consent gate, the resident reading their own; the cause,
// date, municipality and photos pre-filled from their 写真投稿, else the municipality and date from their
// latest shelter check-in), follow the status
// (受付 → 調査予定 → 判定済 → 交付) and download the issued PDF. Plain forms, no JavaScript needed.
import { Hono, type Context } from 'hono';
import { isFormError, toAppError, type FormStatus } from '../../../platform/errors.ts';
import { Csrf, myPage, type ResidentEnv } from '../../residents/index.ts';
import { latestCheckinOf } from '../repository-checkin.ts';
import { ownReports, type ReportRow } from '../repository-reports.ts';
import { label, when } from '../reports-public.tsx';
import { applyForCertificate, damageTypes, LIMITS, openApplication, type ApplicationInput } from './certificates.ts';
import { certificateOf, ownCertificates, type CertificateRow } from './repository.ts';
import { ApplicationFacts, ApplicationsTable, StatusSteps } from './views.tsx';
import type { CertificateDeps } from './index.ts';

export const certificateSections = [{ href: '/my/disaster/certificates', label: '罹災証明書の申請' }] as const;

/** A photo report's category as the cause of the house's damage, when it is one. */
const causeOf: Record<string, keyof typeof damageTypes> = { flood: 'flood', fire: 'fire', landslide: 'landslide' };
const japanDay = (iso: string) => new Date(iso).toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo', month: 'long', day: 'numeric' });
const japanDate = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 9 * 3600_000).toISOString().slice(0, 10) : '');

export function myCertificateRoutes(deps: CertificateDeps) {
  const { db, map } = deps;
  const app = new Hono<ResidentEnv>();

  async function form(c: Context<ResidentEnv>, typed?: ApplicationInput, message?: string, status: 200 | FormStatus = 200) {
    const residentId = c.get('residentId');
    const [reports, checkin] = await Promise.all([ownReports(db, residentId), latestCheckinOf(db, residentId)]);
    const { municipalities, byMunicipality } = await map();
    const shelter = checkin && byMunicipality.get(checkin.municipality)?.find((s) => s.id === checkin.shelterId);
    let v = typed;
    if (!v) {
      // The resident reading their own profile: through the gate (basis 'self', logged).
      const own = await deps.residents.queries.read({ kind: 'resident', id: residentId }, residentId, 'self', ['name', 'address'], 'page');
      const latest = reports[0];
      v = {
        municipality: latest?.municipality ?? checkin?.municipality ?? '',
        name: typeof own.name === 'string' ? own.name : '',
        address: typeof own.address === 'string' ? own.address : '',
        damageType: (latest && causeOf[latest.category]) ?? 'flood',
        damagedOn: japanDate(latest?.takenAt ?? latest?.createdAt ?? checkin?.checkedInAt ?? null),
        description: '',
        reportIds: reports.slice(0, LIMITS.reports).map((r) => r.id),
      };
    }
    return myPage(
      c,
      '罹災証明書を申請する',
      <>
        <h1>罹災証明書を申請する</h1>
        <p>
          災害で住まいが被害を受けたとき、市町村が被害の程度を調査して罹災証明書を交付します。申請すると、市町村の職員が調査日をお知らせし、調査のあと証明書をこのページから受け取れます。
        </p>
        {!typed && checkin && !reports.length && (
          <p>{`避難所での受付（${shelter?.name ?? '避難所'}、${japanDay(checkin.checkedInAt)}）から、市町村と被災した日を入れました。違っていれば直してください。`}</p>
        )}
        {message && (
          <p class="differs" role="alert">
            {message}
          </p>
        )}
        <form method="post" action="/my/disaster/certificates">
          <Csrf c={c} />
          <p class="field">
            <label for="cert-municipality">被災した住家のある市町村</label>
            <select id="cert-municipality" name="municipality" required>
              <option value="">選んでください</option>
              {[...municipalities.values()].map((m) => (
                <option value={m.code} selected={m.code === v.municipality}>
                  {m.name}
                </option>
              ))}
            </select>
          </p>
          <p class="field">
            <label for="cert-name">世帯主の氏名</label>
            <input id="cert-name" name="name" value={v.name} maxlength={LIMITS.name} autocomplete="name" required />
          </p>
          <p class="field">
            <label for="cert-address">被災した住家の所在地</label>
            <input id="cert-address" name="address" value={v.address} maxlength={LIMITS.address} autocomplete="street-address" required />
          </p>
          <fieldset>
            <legend>被害の原因</legend>
            {Object.entries(damageTypes).map(([k, text]) => (
              <label class="choice">
                <input type="radio" name="damageType" value={k} required checked={k === v.damageType} /> {text}
              </label>
            ))}
          </fieldset>
          <p class="field">
            <label for="cert-date">被災した日</label>
            <input id="cert-date" type="date" name="damagedOn" value={v.damagedOn} required />
          </p>
          <p class="field">
            <label for="cert-description">{`被害の状況（${LIMITS.description}文字まで。例: 床上50cmまで浸水し、壁と床が傷んだ）`}</label>
            <textarea id="cert-description" name="description" maxlength={LIMITS.description} rows={4} required>
              {v.description}
            </textarea>
          </p>
          <Photos reports={reports} chosen={v.reportIds} />
          <button type="submit" class="button">
            申請する
          </button>
        </form>
      </>,
      status,
    );
  }

  app.get('/my/disaster/certificates/new', (c) => form(c));

  app.post('/my/disaster/certificates', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const one = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const ids = ([] as unknown[]).concat(body.reportIds ?? []).filter((x): x is string => typeof x === 'string');
    const input: ApplicationInput = {
      municipality: one('municipality'),
      name: one('name'),
      address: one('address'),
      damageType: one('damageType'),
      damagedOn: one('damagedOn'),
      description: one('description'),
      reportIds: ids.slice(0, 100),
    };
    try {
      const { municipalities } = await map();
      const id = await applyForCertificate(db, deps.residents.fields, new Set(municipalities.keys()), c.get('residentId'), input);
      return c.redirect(`/my/disaster/certificates/${id}?sent=1`, 303);
    } catch (err) {
      const e = toAppError(err);
      if (isFormError(e)) return form(c, input, e.message, e.status);
      throw err;
    }
  });

  app.get('/my/disaster/certificates', async (c) => {
    const rows = await ownCertificates(db, c.get('residentId'));
    const { municipalities } = await map();
    return myPage(
      c,
      '罹災証明書',
      <>
        <h1>罹災証明書</h1>
        <p>
          <a href="/my/disaster/certificates/new" class="button">
            罹災証明書を申請する
          </a>
        </p>
        {rows.length === 0 ? (
          <p>まだ申請はありません。</p>
        ) : (
          <ApplicationsTable rows={rows} base="/my/disaster/certificates" label="申請した罹災証明書" names={municipalities} />
        )}
      </>,
    );
  });

  const own = async (c: Context<ResidentEnv>): Promise<CertificateRow | undefined> => {
    const id = c.req.param('id') ?? '';
    return /^[0-9a-f-]{36}$/.test(id) ? certificateOf(db, id, c.get('residentId')) : undefined;
  };

  app.get('/my/disaster/certificates/:id', async (c) => {
    const row = await own(c);
    if (!row) return myPage(c, '申請が見つかりません', <h1>申請が見つかりません</h1>, 404);
    const residentId = c.get('residentId');
    const opened = await openApplication(db, deps.residents.fields, { kind: 'resident', id: residentId }, row);
    const { municipalities } = await map();
    return myPage(
      c,
      '罹災証明書の申請',
      <>
        <h1>罹災証明書の申請</h1>
        {c.req.query('sent') && <p role="status">申請を受け付けました。市町村から調査日をお知らせします。</p>}
        <StatusSteps status={row.status} />
        {row.status === 'issued' && row.code && (
          <section aria-labelledby="cert-issued">
            <h2 id="cert-issued">罹災証明書が交付されました</h2>
            <p>{`証明番号: ${row.code}`}</p>
            <p>
              <a href={`/my/disaster/certificates/${row.id}/certificate.pdf`} class="button" download>
                罹災証明書（PDF）をダウンロード
              </a>
            </p>
          </section>
        )}
        <ApplicationFacts row={row} opened={opened} municipality={municipalities.get(row.municipality)?.name} />
        <dl>
          <dt>写真</dt>
          <dd>{row.reportIds.length ? `${row.reportIds.length}枚` : 'なし'}</dd>
        </dl>
        <p>
          <a href="/my/disaster/certificates">申請の一覧へ</a>
        </p>
      </>,
    );
  });

  app.get('/my/disaster/certificates/:id/certificate.pdf', async (c) => {
    const row = await own(c);
    if (!row || row.status !== 'issued') return myPage(c, '証明書が見つかりません', <h1>証明書が見つかりません</h1>, 404);
    return deps.pdfResponse(c, { kind: 'resident', id: c.get('residentId') }, row);
  });
  return app;
}

function Photos(props: { reports: ReportRow[]; chosen: string[] }) {
  if (props.reports.length === 0)
    return (
      <p>
        写真を添えるときは、先に<a href="/my/disaster/reports/new">写真投稿</a>で被害の写真を送ってください。
      </p>
    );
  return (
    <fieldset>
      <legend>{`添える写真（あなたの写真投稿から、${LIMITS.reports}枚まで）`}</legend>
      {props.reports.map((r) => (
        <label class="choice">
          <input type="checkbox" name="reportIds" value={r.id} checked={props.chosen.includes(r.id)} />
          <img src={`/my/disaster/reports/${r.id}/image`} alt="" width={64} loading="lazy" />{' '}
          {`${label(r)}・${when(r.takenAt ?? r.createdAt)}`}
        </label>
      ))}
    </fieldset>
  );
}
