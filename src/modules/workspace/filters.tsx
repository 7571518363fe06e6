// The filter form of the staff lists (audit log, data-protection access log): a plain GET form of
// selects, each with 「すべて」 first, and a date range, so a filtered list is a link one can share.
import type { Child } from 'hono/jsx';

export interface Choice {
  value: string;
  label: string;
}

export const FilterSelect = (props: { name: string; label: string; choices: Choice[]; selected?: string }) => (
  <label>
    {props.label}
    <select name={props.name}>
      <option value="">すべて</option>
      {props.choices.map((o) => (
        <option value={o.value} selected={o.value === props.selected}>
          {o.label}
        </option>
      ))}
    </select>
  </label>
);

export const FilterForm = (props: { action: string; label: string; from?: string; to?: string; children?: Child }) => (
  <form method="get" action={props.action} class="filters" aria-label={props.label}>
    {props.children}
    <label>
      期間（から）
      <input type="date" name="from" value={props.from ?? ''} />
    </label>
    <label>
      期間（まで）
      <input type="date" name="to" value={props.to ?? ''} />
    </label>
    <button type="submit">絞り込む</button>
  </form>
);
