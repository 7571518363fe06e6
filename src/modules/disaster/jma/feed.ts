// A JMA 防災情報XML Atom feed (RFC 4287; 気象庁防災情報XMLフォーマット形式電文の公開（PULL型）): its entries,
// each the title of the report (the document's Control/Title), an id, when it was updated, and the
// link to the XML document. Pure: no I/O.
import { node, nodes, parseXml, text } from './xml.ts';

export interface FeedEntry {
  id: string;
  title: string;
  updated: string;
  /** The document's URL, resolved against the feed's. */
  link: string;
}

export function parseFeed(xml: string, feedUrl: string): FeedEntry[] {
  const feed = node(parseXml(xml).feed);
  if (!Object.keys(feed).length) throw new Error('not an Atom feed (no feed element)');
  const entries: FeedEntry[] = [];
  for (const e of nodes(feed.entry)) {
    const href = nodes(e.link).map((l) => l['@href'])[0];
    const id = text(e.id);
    if (!id || typeof href !== 'string') continue;
    let link: string;
    try {
      link = new URL(href, feedUrl).href;
    } catch {
      continue;
    }
    entries.push({ id, title: text(e.title), updated: text(e.updated), link });
  }
  // Oldest first: a report is acted on before the one that follows it.
  const time = (e: FeedEntry) => Date.parse(e.updated) || 0;
  return entries.sort((a, b) => time(a) - time(b));
}
