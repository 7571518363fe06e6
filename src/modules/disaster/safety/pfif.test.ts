// PFIF 1.4 (http://zesty.ca/pfif/1.4) reading and writing, clause by clause, and hostile XML refused.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { XmlRefused } from '../jma/xml.ts';
import { buildPfif, noteFields, parsePfif, personFields, PFIF_NS, pfifDate } from './pfif.ts';

const doc = (body: string, ns = PFIF_NS, prefix = 'pfif') =>
  `<?xml version="1.0" encoding="UTF-8"?><${prefix}:pfif xmlns:${prefix}="${ns}">${body}</${prefix}:pfif>`;
const person = (fields: string, prefix = 'pfif') => `<${prefix}:person>${fields}</${prefix}:person>`;
const minimal =
  '<pfif:person_record_id>example.org/p1</pfif:person_record_id><pfif:source_date>2026-12-01T10:00:00Z</pfif:source_date><pfif:full_name>山田 花子</pfif:full_name>';

describe('PFIF 1.4 writing', () => {
  const xml = buildPfif([
    {
      person_record_id: 'renkei.example.jp/safety.abc',
      source_date: '2026-12-01T10:00:00Z',
      full_name: '青森 <太郎> & 花子',
      entry_date: '2026-12-01T10:00:05Z',
      notes: [
        {
          note_record_id: 'renkei.example.jp/safety.abc.1',
          author_name: '青森 太郎',
          source_date: '2026-12-01T10:00:00Z',
          status: 'is_note_author',
          text: '【無事】 大丈夫',
        },
      ],
    },
  ]);
  const tree = new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(xml) as Record<string, unknown>[];

  it('§5: root pfif:pfif in the PFIF 1.4 namespace, UTF-8 declared', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain(`<pfif:pfif xmlns:pfif="${PFIF_NS}">`);
  });

  it('§4.1/§4.2: fields in the specification’s order, a note nested in its person', () => {
    const root = tree.find((n) => 'pfif:pfif' in n)!['pfif:pfif'] as Record<string, unknown>[];
    const p = root[0]!['pfif:person'] as Record<string, unknown>[];
    const names = p.map((n) => Object.keys(n)[0]!.replace('pfif:', ''));
    expect(names).toEqual(['person_record_id', 'entry_date', 'source_date', 'full_name', 'note']);
    expect(names.slice(0, -1).map((f) => personFields.indexOf(f as never))).toEqual([0, 1, 7, 9]);
    const note = p.at(-1)!['pfif:note'] as Record<string, unknown>[];
    expect(note.map((n) => noteFields.indexOf(Object.keys(n)[0]!.replace('pfif:', '') as never))).toEqual([0, 4, 7, 9, 13]);
  });

  it('escapes markup in values; reading it back gives the same values', () => {
    expect(xml).toContain('青森 &lt;太郎&gt; &amp; 花子');
    const back = parsePfif(xml);
    expect(back.errors).toEqual([]);
    expect(back.persons[0]!.full_name).toBe('青森 <太郎> & 花子');
    expect(back.persons[0]!.notes[0]!.text).toBe('【無事】 大丈夫');
  });

  it('§4 dates: whole seconds in UTC with Z', () => {
    expect(pfifDate('2026-12-02 15:52:24.123+09')).toBe('2026-12-02T06:52:24Z');
  });
});

describe('PFIF 1.4 reading', () => {
  it('takes any prefix bound to the namespace, and a default namespace', () => {
    expect(parsePfif(doc(person(minimal.replaceAll('pfif:', 'p:'), 'p'), PFIF_NS, 'p')).persons).toHaveLength(1);
    const dflt = `<pfif xmlns="${PFIF_NS}"><person>${minimal.replaceAll('pfif:', '')}</person></pfif>`;
    expect(parsePfif(dflt).persons[0]!.full_name).toBe('山田 花子');
  });

  it('refuses another version’s namespace (PFIF 1.3) as not PFIF 1.4', () => {
    expect(() => parsePfif(doc(person(minimal), 'http://zesty.ca/pfif/1.3'))).toThrow(XmlRefused);
  });

  it('§4.1 required: person_record_id (domain/id), source_date, full_name', () => {
    const r = parsePfif(
      doc(person('<pfif:person_record_id>no-slash</pfif:person_record_id><pfif:source_date>yesterday</pfif:source_date>')),
    );
    expect(r.persons).toEqual([]);
    expect(r.errors[0]!.message).toContain('「ドメイン名/ID」');
    expect(r.errors[0]!.message).toContain('source_date は yyyy-mm-ddThh:mm:ssZ');
    expect(r.errors[0]!.message).toContain('full_name がありません');
  });

  it('§4.2: note_record_id, author_name, source_date required; status one of five; author_made_contact boolean', () => {
    const bad = '<pfif:note><pfif:status>found</pfif:status><pfif:author_made_contact>yes</pfif:author_made_contact></pfif:note>';
    const r = parsePfif(doc(person(minimal + bad)));
    const m = r.errors[0]!.message;
    for (const s of [
      'note_record_id がありません',
      'author_name がありません',
      'source_date がありません',
      'status は',
      'author_made_contact は',
    ])
      expect(m).toContain(s);
  });

  it('§4.2: a top-level note joins its person; one naming nobody in the file is a row error', () => {
    const note = (who: string) =>
      `<pfif:note><pfif:note_record_id>example.org/n-${who}</pfif:note_record_id><pfif:person_record_id>${who}</pfif:person_record_id><pfif:author_name>a</pfif:author_name><pfif:source_date>2026-12-01T11:00:00Z</pfif:source_date><pfif:status>believed_alive</pfif:status></pfif:note>`;
    const r = parsePfif(doc(person(minimal) + note('example.org/p1') + note('example.org/nobody')));
    expect(r.persons[0]!.notes.map((n) => n.status)).toEqual(['believed_alive']);
    expect(r.errors).toEqual([
      { row: 3, recordId: 'example.org/n-example.org/nobody', message: expect.stringContaining('ファイルにありません') },
    ]);
  });

  it('a nested note naming another person, a duplicate person and a control character are row errors', () => {
    const wrong =
      '<pfif:note><pfif:note_record_id>example.org/n1</pfif:note_record_id><pfif:person_record_id>example.org/other</pfif:person_record_id><pfif:author_name>a</pfif:author_name><pfif:source_date>2026-12-01T11:00:00Z</pfif:source_date></pfif:note>';
    const r = parsePfif(
      doc(
        person(minimal + wrong) +
          person(minimal.replace('p1', 'p2')) +
          person(minimal.replace('p1', 'p2')) +
          person(minimal.replace('p1', 'p3').replace('花子', '花\u0001子')),
      ),
    );
    expect(r.errors.map((e) => e.row)).toEqual([1, 3, 4]);
    expect(r.errors[0]!.message).toContain('その person と違います');
    expect(r.errors[1]!.message).toContain('2回あります');
    expect(r.persons.map((p) => p.person_record_id)).toEqual(['example.org/p2']);
  });

  it('ignores elements of other namespaces', () => {
    const r = parsePfif(doc(person(minimal + '<x:extra xmlns:x="urn:x">秘密</x:extra>')));
    expect(r.errors).toEqual([]);
    expect(JSON.stringify(r.persons)).not.toContain('秘密');
  });
});

// Person Finder's feeds (/feeds/person): an RFC 4287 atom:feed, one atom:entry per person with the
// pfif:person (and its notes) inside, the PFIF namespace declared on the feed. Written from RFC 4287 §4.1.1–4.1.2.
describe('PFIF records in an Atom feed (Person Finder /feeds/person)', () => {
  const note =
    '<pfif:note><pfif:note_record_id>example.org/n1</pfif:note_record_id><pfif:author_name>山田 太郎</pfif:author_name><pfif:source_date>2026-12-01T11:00:00Z</pfif:source_date><pfif:status>believed_alive</pfif:status></pfif:note>';
  const entry = (record: string, id: string) =>
    `<entry>${record}<id>pfif:${id}</id><title>山田 花子</title><author><name>受付</name></author><updated>2026-12-01T10:00:00Z</updated></entry>`;
  const feed = (entries: string, pfifNs = PFIF_NS, atom = 'http://www.w3.org/2005/Atom') =>
    `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="${atom}" xmlns:pfif="${pfifNs}"><id>https://example.org/feeds/person</id><title>Person Finder</title><updated>2026-12-01T12:00:00Z</updated>${entries}</feed>`;

  it('reads each entry’s person with its nested notes, ignoring the Atom elements', () => {
    const second = minimal.replace('example.org/p1', 'example.org/p2').replace('山田 花子', '山田 一郎');
    const r = parsePfif(feed(entry(person(minimal + note), 'example.org/p1') + entry(person(second), 'example.org/p2')));
    expect(r.errors).toEqual([]);
    expect(r.persons.map((p) => [p.person_record_id, p.full_name, p.notes.length])).toEqual([
      ['example.org/p1', '山田 花子', 1],
      ['example.org/p2', '山田 一郎', 0],
    ]);
    expect(r.persons[0]!.notes[0]!.status).toBe('believed_alive');
  });

  it('a note feed entry names its person, who must be in the same file (§4.2)', () => {
    const top = note.replace('<pfif:note>', '<pfif:note><pfif:person_record_id>example.org/p1</pfif:person_record_id>');
    const r = parsePfif(feed(entry(person(minimal), 'example.org/p1') + entry(top, 'example.org/n1')));
    expect(r.persons[0]!.notes).toHaveLength(1);
    const orphan = parsePfif(feed(entry(top, 'example.org/n1')));
    expect(orphan.persons).toEqual([]);
    expect(orphan.errors[0]!.message).toContain('§4.2');
  });

  it('refuses a feed without the PFIF 1.4 namespace, and one that is not Atom', () => {
    expect(() => parsePfif(feed(entry(person(minimal), 'x'), 'http://zesty.ca/pfif/1.3'))).toThrow(XmlRefused);
    expect(() => parsePfif(feed(entry(person(minimal), 'x'), PFIF_NS, 'http://purl.org/rss/1.0/'))).toThrow(XmlRefused);
  });
});

describe('hostile XML is refused before it is parsed', () => {
  it('billion laughs (entity expansion)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>${doc(person(minimal.replace('山田 花子', '&lol9;')))}`;
    expect(() => parsePfif(laughs)).toThrow(XmlRefused);
  });

  it('an external entity (XXE) and any DOCTYPE', () => {
    expect(() =>
      parsePfif(
        `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${doc(person(minimal.replace('山田 花子', '&xxe;')))}`,
      ),
    ).toThrow(XmlRefused);
    expect(() => parsePfif(`<!DOCTYPE pfif>${doc(person(minimal))}`)).toThrow(XmlRefused);
  });

  it('XML that is not well-formed', () => {
    expect(() => parsePfif(doc('<pfif:person><pfif:full_name>x</pfif:person>'))).toThrow(XmlRefused);
    expect(() => parsePfif('not xml at all')).toThrow(XmlRefused);
  });
});
