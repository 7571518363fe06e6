// A small walker over rendered HTML for the English pages' test (WCAG 2.1 SC 3.1.2 Language of
// Parts): which Japanese text lies outside an element marked lang="ja". No HTML parser dependency:
// the pages are our own server's output, so tags, attributes and text are well formed.

/** Kana, kanji and full-width forms. "－" (U+FF0D) is the unknown mark in both languages (footer). */
export const JAPANESE = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0c\uff0e-\uffef]/;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

export interface LangReport {
  /** Japanese text nodes outside lang="ja", with their element path. */
  outside: { text: string; path: string }[];
  /** Japanese text inside lang="ja": the data and names the page marks up. */
  marked: string[];
  /** Text of <title> and of aria-label/title/alt/placeholder attributes outside lang="ja" (which cannot mark parts). */
  labels: string[];
  /** Every href but the language switch's, and each form's action with the hidden lang field it sends. */
  links: string[];
}

const attr = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function langParts(html: string): LangReport {
  const report: LangReport = { outside: [], marked: [], labels: [], links: [] };
  const stack: { tag: string; lang: string | undefined }[] = [];
  const source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
  let form: number | undefined;
  const langNow = () => [...stack].reverse().find((e) => e.lang !== undefined)?.lang;
  for (const m of source.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:[^>"]|"[^"]*")*)>|([^<]+)|<!DOCTYPE[^>]*>/g)) {
    const [, close, tag, attrs = '', text] = m;
    if (text !== undefined) {
      const t = decode(text).trim();
      if (!t || !JAPANESE.test(t)) continue;
      if (langNow() === 'ja') report.marked.push(t);
      else if (stack.some((e) => e.tag === 'title')) report.labels.push(t);
      else report.outside.push({ text: t, path: stack.map((e) => e.tag).join('>') });
      continue;
    }
    if (!tag) continue;
    const name = tag.toLowerCase();
    if (close) {
      const at = stack.map((e) => e.tag).lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    const lang = attr(attrs, 'lang');
    // The language switch (hreflang) is the one link meant to change the language.
    const link = attr(attrs, 'href');
    if (link !== undefined && attr(attrs, 'hreflang') === undefined) report.links.push(decode(link));
    // A GET form sends its fields as the query: a hidden lang field is what keeps the language.
    if (name === 'form') form = report.links.push(decode(attr(attrs, 'action') ?? '')) - 1;
    if (name === 'input' && attr(attrs, 'name') === 'lang' && form !== undefined) {
      report.links[form] += `${report.links[form]!.includes('?') ? '&' : '?'}lang=${attr(attrs, 'value')}`;
    }
    const inJa = (lang ?? langNow()) === 'ja';
    for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
      const v = attr(attrs, a);
      if (v !== undefined && JAPANESE.test(v) && !inJa) report.labels.push(decode(v));
    }
    if (!VOID.has(name) && !attrs.trimEnd().endsWith('/')) stack.push({ tag: name, lang });
  }
  return report;
}

/**
 * A label or title may name data (a KPI's name in a chart's label) but say nothing in Japanese of
 * its own: what is left once the page's lang="ja" texts are taken out.
 */
export function unmarkedInLabel(label: string, marked: string[]): string | null {
  let rest = label;
  for (const t of [...new Set(marked)].sort((a, b) => b.length - a.length)) rest = rest.replaceAll(t, '');
  return JAPANESE.test(rest) ? rest : null;
}
