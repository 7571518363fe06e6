// The current alerts as an Atom feed (RFC 4287): one entry per alert, its id the alert's NGSI-LD URN
// (permanent, §4.2.6), linked to its page (rel=alternate) and its CAP 1.2 message (rel=related). Pure.
import { XMLBuilder } from 'fast-xml-parser';
import type { Alert } from './alert.ts';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, suppressEmptyNode: true });

export function toAtom(alerts: (Alert & { slug: string })[], baseUrl: string): string {
  const url = (path: string) => new URL(path, baseUrl).href;
  const updated = alerts.reduce((t, a) => (a.updated > t ? a.updated : t), '1970-01-01T00:00:00.000Z');
  return builder.build({
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    feed: {
      '@xmlns': 'http://www.w3.org/2005/Atom',
      '@xml:lang': 'ja',
      id: url('/disaster/alerts.atom'),
      title: '青森県 警報・避難情報',
      updated,
      author: { name: '青森県' },
      link: [
        { '@rel': 'self', '@type': 'application/atom+xml', '@href': url('/disaster/alerts.atom') },
        { '@rel': 'alternate', '@type': 'text/html', '@href': url('/disaster/alerts') },
      ],
      entry: alerts.map((a) => ({
        id: a.id,
        title: a.headline,
        published: a.issued,
        updated: a.updated,
        summary: a.easyJapanese || a.description,
        category: { '@term': a.kind },
        link: [
          { '@rel': 'alternate', '@type': 'text/html', '@href': url(`/disaster/alerts/${a.slug}`) },
          { '@rel': 'related', '@type': 'application/cap+xml', '@href': url(`/disaster/alerts/${a.slug}.cap`) },
        ],
      })),
    },
  }) as string;
}
