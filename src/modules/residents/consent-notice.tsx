// The notice of one purpose (ISO/IEC 29184 contents, in plain Japanese): who receives, what, why, how
// long, on what basis, how to withdraw and whom to ask; then the form that gives consent.
import type { Context } from 'hono';
import type { OrgUnit } from '../organisations/index.ts';
import { categoryOf } from './categories.ts';
import { durationLabel } from './consents.ts';
import { Csrf, type Env } from './page.tsx';
import type { Purpose } from './purposes.ts';

export interface Refused {
  message: string;
  field?: string;
}

/** What the resident ticked, kept when the form is shown again. */
export interface Ticked {
  recipients: readonly string[];
  categories: readonly string[];
}

const FieldMessage = (props: { field: string; refused?: Refused }) =>
  props.refused?.field === props.field ? (
    <p class="differs" id={`${props.field}-error`} role="alert">
      {props.refused.message}
    </p>
  ) : null;

const described = (refused: Refused | undefined, field: string) =>
  refused?.field === field ? { 'aria-describedby': `${field}-error` } : {};

export interface NoticeProps {
  c: Context<Env>;
  purpose: Purpose;
  /** The fixed recipient (a unit, or the municipality of the resident's address), when the purpose names one. */
  recipient?: OrgUnit;
  /** For `any-municipality` purposes: the registry's municipalities to choose from. */
  municipalities: OrgUnit[];
  operator?: OrgUnit;
  ticked: Ticked;
  refused?: Refused;
}

export function Notice(props: NoticeProps) {
  const { purpose, ticked, refused } = props;
  const other = refused && !['recipients', 'categories'].includes(refused.field ?? '') ? refused.message : undefined;
  return (
    <form method="post" action={`/my/consents/${purpose.id}`}>
      <Csrf c={props.c} />
      {other ? (
        <p class="differs" role="alert">
          {other}
        </p>
      ) : null}
      <h2>だれが受け取りますか</h2>
      {purpose.recipient.kind === 'any-municipality' ? (
        <fieldset {...described(refused, 'recipients')}>
          <legend>受け取る市町村（避難するかもしれない市町村を選んでください）</legend>
          <FieldMessage field="recipients" refused={refused} />
          <ul class="choices">
            {props.municipalities.map((m) => (
              <li>
                <label>
                  <input type="checkbox" name="recipient" value={m.id} checked={ticked.recipients.includes(m.id)} /> {m.fullName}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : (
        <>
          <p>{props.recipient?.fullName ?? '住所の市町村（プロフィールで登録した市町村）'}</p>
          <FieldMessage field="recipients" refused={refused} />
        </>
      )}
      <h2>どの情報を使いますか</h2>
      <fieldset {...described(refused, 'categories')}>
        <legend>提供する情報（外したものは提供しません）</legend>
        <FieldMessage field="categories" refused={refused} />
        <ul class="choices">
          {purpose.categories.map((id) => {
            const cat = categoryOf(id)!;
            return (
              <li>
                <label>
                  <input type="checkbox" name="category" value={id} checked={ticked.categories.includes(id)} /> {cat.label}
                  {cat.special ? <strong>（要配慮個人情報）</strong> : null}
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <h2>何のために使いますか</h2>
      <p>{purpose.why}</p>
      <h2>いつまで使いますか</h2>
      <p>同意した日から{durationLabel(purpose.duration)}。期間が過ぎると、改めて同意しない限り提供しません。</p>
      <h2>何に基づいて提供しますか</h2>
      <p>本人の同意（個人情報の保護に関する法律に基づく、本人の同意による提供）。同意しなくても、他のサービスの利用には影響しません。</p>
      <h2>やめたいときは</h2>
      <p>
        このページの「同意を撤回する」でいつでも撤回できます。撤回すると、次に情報が読まれるときから提供されません（撤回前に提供された情報は、受け取った組織の規程に従って扱われます）。
      </p>
      <h2>問い合わせ先</h2>
      <p>{props.operator?.fullName ?? '青森県'}（データ連携基盤の運営者）</p>
      <button type="submit">この内容で同意する</button>
    </form>
  );
}
