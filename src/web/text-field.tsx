// One labelled text input with its hint and its Japanese error message beside it (JIS X 8341-3:
// the message is announced, tied to the input by aria-describedby, and the input marked invalid).
// The forms of マイページ and the common ID's set-up pages all draw their inputs with it.
import type { Child } from 'hono/jsx';

export interface TextFieldProps {
  name: string;
  /** The label's content (marks such as 要配慮個人情報 or 必須 included). */
  label: Child;
  value?: string;
  /** This field's error message, when the last submission was refused because of it. */
  message?: string;
  hint?: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
}

export function TextField(props: TextFieldProps) {
  const id = `f-${props.name}`;
  const described = [props.hint && `${id}-hint`, props.message && `${id}-error`].filter(Boolean).join(' ');
  return (
    <p class="field">
      <label for={id}>{props.label}</label>
      {props.hint && (
        <small id={`${id}-hint`} style="display:block">
          {props.hint}
        </small>
      )}
      {props.message && (
        <strong id={`${id}-error`} class="differs" role="alert" style="display:block">
          {props.message}
        </strong>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={props.message ? 'true' : undefined}
        aria-describedby={described || undefined}
        style="max-width:100%;box-sizing:border-box"
      />
    </p>
  );
}
