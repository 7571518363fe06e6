// The form on the data-protection page that records a legal basis (法令に基づく提供の記録).
import type { Context } from 'hono';
import type { OrgUnit } from '../organisations/index.ts';
import { LEGAL_BASIS_MAX_DAYS, legalBases, purposes } from '../residents/index.ts';
import { dataCategories } from '../residents/categories.ts';
import { invalidIf, type Refused } from './entry-form.tsx';
import { Csrf, type Env } from './page.tsx';

export function LegalBasisForm(props: { c: Context<Env>; units: OrgUnit[]; refused?: Refused; checked: string[] }) {
  const mine = props.refused?.form === 'legal-basis' ? props.refused : undefined;
  const v = mine?.values ?? {};
  const err = 'err-legal-basis';
  const field = (name: string) => invalidIf(mine, name, err);
  return (
    <>
      {mine ? (
        <p id={err} class="differs" role="alert">
          {mine.message}
        </p>
      ) : null}
      <form method="post" action="/staff/data-protection/legal-basis" class="stack">
        <Csrf c={props.c} />
        <label>
          提供先の組織
          <select name="organisationId" required {...field('organisationId')}>
            <option value="">選んでください</option>
            {props.units.map((u) => (
              <option value={u.id} selected={u.id === v.organisationId}>
                {u.fullName}
              </option>
            ))}
          </select>
        </label>
        <label>
          利用目的
          <select name="purposeId" required {...field('purposeId')}>
            {purposes.map((p) => (
              <option value={p.id} selected={p.id === v.purposeId}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <fieldset {...field('categories')}>
          <legend>データの区分</legend>
          {dataCategories.map((d) => (
            <label class="choice">
              <input type="checkbox" name="categories" value={d.id} checked={props.checked.includes(d.id)} />
              {d.label}
            </label>
          ))}
        </fieldset>
        <label>
          法令の根拠
          <select name="legalBasis" required {...field('legalBasis')}>
            {legalBases.map((b) => (
              <option value={b.id} selected={b.id === v.legalBasis}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          受付番号（一人のとき）
          <input name="residentId" maxlength={80} value={v.residentId ?? ''} {...field('residentId')} />
        </label>
        <label>
          市町村コード（その市町村の住民全員のとき）
          <input
            name="municipalityCode"
            maxlength={5}
            inputmode="numeric"
            value={v.municipalityCode ?? ''}
            {...field('municipalityCode')}
          />
        </label>
        <label>
          期間（日数、{LEGAL_BASIS_MAX_DAYS}日まで）
          <input name="days" type="number" min={1} max={LEGAL_BASIS_MAX_DAYS} required value={v.days ?? '3'} {...field('days')} />
        </label>
        <label>
          理由
          <input name="reason" required maxlength={500} value={v.reason ?? ''} {...field('reason')} />
        </label>
        <button type="submit">記録する</button>
      </form>
    </>
  );
}
