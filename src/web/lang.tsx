// Japanese parts of an English page: names and data stay as the documents write them and are
// marked lang="ja" (WCAG 2.1 SC 3.1.2 Language of Parts); periods we can read are written in English.
import type { Child } from 'hono/jsx';
import { englishPeriod, formatValue, UNKNOWN } from './format.ts';
import type { Lang } from './messages.ts';

/** The lang attribute for an element holding only Japanese data: set on English pages. */
export const ja = (lang: Lang) => (lang === 'ja' ? undefined : 'ja');

/** Japanese data inside text of either language. */
export const Ja = (props: { lang: Lang; children: Child }) =>
  props.lang === 'ja' ? <>{props.children}</> : <span lang="ja">{props.children}</span>;

/** A period label (R5年度, 2025年1月末時点): in English when it is one of the known forms, else as data. */
export const Period = (props: { label: string; lang: Lang }) => {
  const en = props.lang === 'ja' ? null : englishPeriod(props.label);
  return en ?? <Ja lang={props.lang}>{props.label}</Ja>;
};

/** A value with its unit; in English a unit the documents write in Japanese (件, 人) is data. */
export const Value = (props: { value: number | null | undefined; unit: string; lang: Lang }) => {
  const { value, unit, lang } = props;
  if (lang === 'ja' || value === null || value === undefined || !/[^\x20-\x7e]/.test(unit)) return <>{formatValue(value, unit)}</>;
  const shown = formatValue(value, '');
  return shown === UNKNOWN ? (
    <>{UNKNOWN}</>
  ) : (
    <>
      {shown}
      <span lang="ja">{unit}</span>
    </>
  );
};

/** A parenthetical: full-width brackets in Japanese, a space and ASCII brackets in English. */
export const Paren = (props: { lang: Lang; children: Child }) =>
  props.lang === 'ja' ? <>（{props.children}）</> : <> ({props.children})</>;

/** The same for plain strings (attributes, chart labels): `（x）` or ` (x)`. */
export const paren = (lang: Lang, x: string) => (lang === 'ja' ? `（${x}）` : ` (${x})`);

/** A list in a sentence: 、 in Japanese, commas in English. */
export const list = (lang: Lang, xs: string[]) => xs.join(lang === 'ja' ? '、' : ', ');

/** A name with its English name when it has one (a plan, a field): else the Japanese name, marked. */
export const Name = (props: { lang: Lang; name: string; en?: string | null }) =>
  props.lang === 'en' && props.en ? <>{props.en}</> : <Ja lang={props.lang}>{props.name}</Ja>;

/** The same as text (titles, breadcrumbs, captions), with whether it is the Japanese name. */
export const nameText = (lang: Lang, name: string, en?: string | null) =>
  lang === 'en' && en ? { label: en, ja: false } : { label: name, ja: true };
