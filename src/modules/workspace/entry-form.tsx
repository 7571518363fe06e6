// An indicator's entry form in a round, and what a refused entry brings back to it: the values as
// typed, the message beside the form naming the indicator, and the field that caused it marked.
import type { Context } from 'hono';
import type { IndicatorForEntry } from '../plans/index.ts';
import { Csrf, type Env } from './page.tsx';

/** A refused form, shown again: what was posted, the message, and the field it is about (if one). */
export interface Refused {
  /** Which form on the page (an indicator code, or a form's name). */
  form: string;
  values: Record<string, string>;
  message: string;
  field?: string;
}

/** The posted text fields (a file or a repeated field is not typed text to keep). */
export const typedValues = (body: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'csrf'));

/** The field named by a refusal's `details.field`, if it names one. */
export const refusedField = (details: unknown): string | undefined => {
  const f = (details as { field?: unknown } | undefined)?.field;
  return typeof f === 'string' ? f : undefined;
};

/** The attributes tying a field to the message beside it when the refusal is about that field. */
export const invalidIf = (refused: Refused | undefined, field: string, messageId: string) =>
  refused?.field === field ? { 'aria-invalid': 'true' as const, 'aria-describedby': messageId } : {};

export function EntryForm(props: { c: Context<Env>; roundId: number; indicator: IndicatorForEntry; refused?: Refused }) {
  const { indicator: i, refused } = props;
  const errorId = `err-${i.code}`;
  const value = (name: string, fallback = '') => refused?.values[name] ?? fallback;
  const field = (name: string) => invalidIf(refused, name, errorId);
  return (
    <form method="post" action={`/staff/rounds/${props.roundId}/indicators/${i.code}`} class="filters">
      <Csrf c={props.c} />
      {refused && (
        <p id={errorId} class="differs">
          {refused.message}
        </p>
      )}
      <label>
        値<input name="value" required inputmode="decimal" value={value('value')} {...field('value')} />
      </label>
      <label>
        単位
        <input name="unit" required value={value('unit', i.unit)} {...field('unit')} />
      </label>
      <label>
        期間
        <input name="periodLabel" required placeholder="R6年度" value={value('periodLabel')} {...field('periodLabel')} />
      </label>
      <label>
        データの出所
        <input name="source" required value={value('source')} {...field('source')} />
      </label>
      <label>
        備考
        <input name="note" value={value('note')} {...field('note')} />
      </label>
      <button type="submit">提出する</button>
    </form>
  );
}
