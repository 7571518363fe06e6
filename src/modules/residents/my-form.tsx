// The parts every マイページ form shares: the posted strings, a refusal shown beside its field with
// what was typed, and one labelled field.
import type { Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { KeyRing } from './crypto.ts';
import type { Env } from './page.tsx';

/** What マイページ's data pages need; municipalities come from the organisations registry. */
export interface MyDeps {
  db: Db;
  keys: KeyRing;
  municipalities: () => Promise<{ code: string; name: string }[]>;
}

export interface Refused {
  message: string;
  field?: string;
  values: Record<string, string>;
}

export const refusal = (message: string, details: unknown, values: Record<string, string>): Refused => ({
  message,
  field: (details as { field?: string } | undefined)?.field,
  values,
});

/** The posted text fields (the session middleware has parsed the body already; Hono keeps it). */
export async function posted(c: Context<Env>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The message of a refusal not tied to one field, above the form. */
export const FormMessage = (props: { refused?: Refused }) =>
  props.refused && !props.refused.field ? (
    <p class="differs" role="alert">
      {props.refused.message}
    </p>
  ) : null;

export function Field(props: {
  name: string;
  label: string;
  value: string;
  refused?: Refused;
  special?: boolean;
  type?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
}) {
  const { name, refused } = props;
  const id = `f-${name}`;
  const invalid = refused?.field === name;
  const described = [props.hint && `${id}-hint`, invalid && `${id}-error`].filter(Boolean).join(' ');
  return (
    <p class="field">
      <label for={id}>
        {props.label}
        {props.special && <strong>（要配慮個人情報）</strong>}
        {props.required && '（必須）'}
      </label>
      {props.hint && (
        <small id={`${id}-hint`} style="display:block">
          {props.hint}
        </small>
      )}
      {invalid && (
        <strong id={`${id}-error`} class="differs" role="alert" style="display:block">
          {refused.message}
        </strong>
      )}
      <input
        id={id}
        name={name}
        type={props.type ?? 'text'}
        value={refused ? (refused.values[name] ?? '') : props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={described || undefined}
        style="max-width:100%;box-sizing:border-box"
      />
    </p>
  );
}
