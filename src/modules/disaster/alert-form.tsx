// The staff alert form (issue and 改めて発令): kind, municipalities (a list, so it works without
// JavaScript) or a drawn area as GeoJSON, hazard, texts and expiry. What was typed comes back as it was.
import type { Context } from 'hono';
import { Csrf, FormAlert, type StaffEnv } from '../workspace/index.ts';
import { alertKinds, staffAlertKinds } from './alert.ts';
import { MAX_VERTICES } from './area.ts';
import { hazardLabels, hazardTypes } from './hazards.ts';
import type { Municipality } from './shelters.ts';

/** The form's fields as typed (strings; municipalities as a list). */
export interface FormValues {
  kind?: string;
  municipalities?: string[];
  area?: string;
  hazard?: string;
  headline?: string;
  description?: string;
  easyJapanese?: string;
  expires?: string;
}

export const formValues = (body: Record<string, unknown>): FormValues => {
  const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const m = body['municipalities'];
  return {
    kind: s('kind'),
    municipalities: Array.isArray(m) ? m.filter((x) => typeof x === 'string') : typeof m === 'string' ? [m] : [],
    area: s('area'),
    hazard: s('hazard'),
    headline: s('headline'),
    description: s('description'),
    easyJapanese: s('easyJapanese'),
    expires: s('expires'),
  };
};

export interface FormProps {
  c: Context<StaffEnv>;
  /** Where 「確認する」 posts (the preview). */
  action: string;
  values: FormValues;
  choices: Municipality[];
  error?: string;
  field?: string;
  /** On the preview: a second button that sends (posts to `confirm`). */
  confirm?: { action: string; label: string };
}

const Err = (p: { id: string; on?: string; field?: string; message?: string }) =>
  p.on === p.field && p.message ? (
    <p class="field-error differs" id={`${p.id}-error`} role="alert">
      {p.message}
    </p>
  ) : null;

/**
 * The map to draw the area on (assets/disaster-draw.js fills the area field above); hidden until the
 * script starts it, so without JavaScript or WebGL the field is the way. Its page's CSP is `mapCsp`.
 */
const AreaDraw = (p: { boundaries: string }) => (
  <div class="area-draw" data-area-draw data-boundaries={p.boundaries} hidden>
    <link rel="stylesheet" href="/assets/maplibre-gl.css" />
    <script type="module" src="/assets/disaster-draw.js" />
    <p id="area-draw-help">地図を押すごとに範囲の頂点を置きます。3個以上置いて「範囲を閉じる」を押すと、上の入力欄に入ります。</p>
    <div class="disaster-map area-map" role="region" aria-label="範囲を描く地図" aria-describedby="area-draw-help"></div>
    <p class="area-draw-status" aria-live="polite"></p>
    <p class="area-draw-buttons">
      <button type="button" data-draw="undo">
        1つ戻す
      </button>
      <button type="button" data-draw="close">
        範囲を閉じる
      </button>
      <button type="button" data-draw="clear">
        消す
      </button>
    </p>
  </div>
);

export function AlertForm(p: FormProps) {
  const v = p.values;
  const invalid = (f: string) => (p.field === f ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${f}-error` } : {});
  const one = p.choices.length === 1;
  return (
    <form method="post" action={p.action} class="alert-form">
      {/* staffPage has no <head> slot; a stylesheet link is allowed in the body. */}
      <link rel="stylesheet" href="/assets/disaster-alerts.css" />
      <Csrf c={p.c} />
      <FormAlert message={p.field ? undefined : p.error} />
      <label>
        種類
        <select name="kind" required {...invalid('kind')}>
          {staffAlertKinds.map((k) => (
            <option value={k} selected={v.kind === k}>
              {alertKinds[k]}
            </option>
          ))}
        </select>
      </label>
      <Err id="kind" on="kind" field={p.field} message={p.error} />
      <fieldset {...invalid('municipalities')}>
        <legend>対象の市町村</legend>
        <div class="choices">
          {p.choices.map((m) => (
            <label>
              <input type="checkbox" name="municipalities" value={m.code} checked={one || v.municipalities?.includes(m.code)} /> {m.name}
            </label>
          ))}
        </div>
        <Err id="municipalities" on="municipalities" field={p.field} message={p.error} />
      </fieldset>
      <label>
        または範囲（GeoJSON の Polygon。頂点{MAX_VERTICES}個まで。かかる市町村が対象に加わります）
        <textarea name="area" rows={3} {...invalid('area')}>
          {v.area ?? ''}
        </textarea>
      </label>
      <Err id="area" on="area" field={p.field} message={p.error} />
      <AreaDraw boundaries={`/api/v1/disaster/boundaries${one ? `?municipality=${p.choices[0]!.code}` : ''}`} />
      <label>
        災害の種類（任意）
        <select name="hazard" {...invalid('hazard')}>
          <option value="">指定しない</option>
          {hazardTypes.map((h) => (
            <option value={h} selected={v.hazard === h}>
              {hazardLabels[h]}
            </option>
          ))}
        </select>
      </label>
      <Err id="hazard" on="hazard" field={p.field} message={p.error} />
      <label>
        見出し（空欄なら種類と市町村から作ります）
        <input name="headline" maxlength={100} value={v.headline ?? ''} {...invalid('headline')} />
      </label>
      <Err id="headline" on="headline" field={p.field} message={p.error} />
      <label>
        本文（空欄なら定型文）
        <textarea name="description" rows={4} maxlength={2000} {...invalid('description')}>
          {v.description ?? ''}
        </textarea>
      </label>
      <Err id="description" on="description" field={p.field} message={p.error} />
      <label>
        やさしい日本語（空欄なら定型文。確認画面で直せます）
        <textarea name="easyJapanese" rows={4} maxlength={1000} {...invalid('easyJapanese')}>
          {v.easyJapanese ?? ''}
        </textarea>
      </label>
      <Err id="easyJapanese" on="easyJapanese" field={p.field} message={p.error} />
      <label>
        終了日時（日本時間）
        <input type="datetime-local" name="expires" required value={v.expires ?? ''} {...invalid('expires')} />
      </label>
      <Err id="expires" on="expires" field={p.field} message={p.error} />
      <p class="actions">
        <button type="submit">{p.confirm ? '直した内容で確認する' : '確認する'}</button>
        {p.confirm && (
          <button type="submit" formaction={p.confirm.action} name="confirm" value="yes">
            {p.confirm.label}
          </button>
        )}
      </p>
    </form>
  );
}
