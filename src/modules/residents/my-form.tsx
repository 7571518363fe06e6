// The parts every マイページ form shares: the posted strings, a refusal shown beside its field with
// what was typed, and one labelled field (web/text-field.tsx).
import type { Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { KeyRing } from './crypto.ts';
import type { Env } from './page.tsx';
import { TextField } from '../../web/text-field.tsx';

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

export const Field = (props: {
  name: string;
  label: string;
  value: string;
  refused?: Refused;
  special?: boolean;
  type?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
}) => {
  const { label, value, refused, special, ...rest } = props;
  return (
    <TextField
      {...rest}
      label={
        <>
          {label}
          {special && <strong>（要配慮個人情報）</strong>}
          {props.required && '（必須）'}
        </>
      }
      value={refused ? (refused.values[props.name] ?? '') : value}
      message={refused?.field === props.name ? refused.message : undefined}
    />
  );
};
