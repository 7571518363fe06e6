// PFIF 1.4 (People Finder Interchange Format, http://zesty.ca/pfif/1.4, May 29, 2012): the XML that
// Person Finder and other survivor registries exchange. Pure: no I/O.
// - §4.1 PERSON: person_record_id (domain name, "/", local id), source_date and full_name required.
// - §4.2 NOTE: note_record_id, author_name and source_date required; status one of the five values;
//   author_made_contact a boolean; a note inside a <person> belongs to it (its person_record_id may be
//   left out, and must match when given); a note at the top level names its person.
// - §5 XML: root pfif:pfif in namespace http://zesty.ca/pfif/1.4, fields as child elements in the
//   order of §4, dates "yyyy-mm-ddThh:mm:ssZ" in UTC, UTF-8. Elements of other namespaces are ignored.
// - Person Finder's feeds (/feeds/person, /feeds/note) carry the same records one per Atom entry (RFC 4287
//   atom:feed/atom:entry, the PFIF namespace declared on the feed): read as if they were one pfif:pfif.
// Reading refuses a document type declaration (the only way to entities: billion laughs, XXE) before parsing.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { guardXml, XmlRefused } from '../jma/xml.ts';
import { CONTROL } from '../shelter-ops-input.ts';

export const PFIF_NS = 'http://zesty.ca/pfif/1.4';
const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** §4.1, in the specification's order. */
export const personFields = [
  'person_record_id',
  'entry_date',
  'expiry_date',
  'author_name',
  'author_email',
  'author_phone',
  'source_name',
  'source_date',
  'source_url',
  'full_name',
  'given_name',
  'family_name',
  'alternate_names',
  'description',
  'sex',
  'date_of_birth',
  'age',
  'home_street',
  'home_neighborhood',
  'home_city',
  'home_state',
  'home_postal_code',
  'home_country',
  'photo_url',
  'profile_urls',
] as const;

/** §4.2, in the specification's order. */
export const noteFields = [
  'note_record_id',
  'person_record_id',
  'linked_person_record_id',
  'entry_date',
  'author_name',
  'author_email',
  'author_phone',
  'source_date',
  'author_made_contact',
  'status',
  'email_of_found_person',
  'phone_of_found_person',
  'last_known_location',
  'text',
  'photo_url',
] as const;

/** §4.2 status. */
export const noteStatuses = ['information_sought', 'is_note_author', 'believed_alive', 'believed_missing', 'believed_dead'] as const;
export type NoteStatus = (typeof noteStatuses)[number];

export type PfifPerson = Partial<Record<(typeof personFields)[number], string>> & { notes: PfifNote[] };
export type PfifNote = Partial<Record<(typeof noteFields)[number], string>>;

/** §5 date: whole seconds, UTC, "Z". */
export const pfifDate = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

// XML 1.0 §2.2 Char: what may not appear even as a character reference is dropped on the way out.
const notXmlChar = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, processEntities: true });

function fieldsOf(record: object, order: readonly string[]) {
  const out: Record<string, string> = {};
  for (const f of order) {
    const v = (record as Record<string, unknown>)[f];
    if (typeof v === 'string' && v !== '') out[`pfif:${f}`] = v.replace(notXmlChar, '');
  }
  return out;
}

export function buildPfif(persons: readonly PfifPerson[]): string {
  const doc = {
    'pfif:pfif': {
      '@xmlns:pfif': PFIF_NS,
      'pfif:person': persons.map((p) => ({
        ...fieldsOf(p, personFields),
        ...(p.notes.length && { 'pfif:note': p.notes.map((n) => fieldsOf(n, noteFields)) }),
      })),
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc) as string}`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => /(^|:)(person|note|entry)$/.test(name),
});

export interface RowError {
  /** 1-based position of the person (or top-level note) in the file. */
  row: number;
  recordId: string;
  message: string;
}

export interface ParsedPfif {
  persons: PfifPerson[];
  errors: RowError[];
}

type Node = Record<string, unknown>;
const asNode = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const asNodes = (v: unknown): Node[] => (Array.isArray(v) ? v.map(asNode) : v === undefined ? [] : [asNode(v)]);

const xmlns = (prefix: string) => (prefix ? `@xmlns:${prefix}` : '@xmlns');

/**
 * The records' parent with the prefix bound to the PFIF 1.4 namespace ('' for a default namespace), or
 * undefined: the pfif:pfif root, or an Atom feed whose entries' records are gathered under one node.
 */
function pfifRoot(tree: Node): { prefix: string; root: Node } | undefined {
  for (const [name, value] of Object.entries(tree)) {
    if (name.startsWith('?')) continue;
    const [prefix, local] = name.includes(':') ? name.split(':', 2) : ['', name];
    const root = asNode(value);
    if (local === 'pfif' && root[xmlns(prefix!)] === PFIF_NS) return { prefix: prefix!, root };
    if (local === 'feed' && root[xmlns(prefix!)] === ATOM_NS) {
      const bound = Object.keys(root).find((k) => k.startsWith('@xmlns:') && root[k] === PFIF_NS);
      if (!bound) return undefined;
      const pfif = bound.slice('@xmlns:'.length);
      const entries = asNodes(root[prefix ? `${prefix}:entry` : 'entry']);
      const all = (local: string) => entries.flatMap((e) => asNodes(e[`${pfif}:${local}`]));
      return { prefix: pfif, root: { [`${pfif}:person`]: all('person'), [`${pfif}:note`]: all('note') } };
    }
  }
  return undefined;
}

/** A record's PFIF fields: text children in the PFIF namespace; anything else (other namespaces, attributes) left out. */
function readFields(node: Node, prefix: string, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of names) {
    const v = node[prefix ? `${prefix}:${f}` : f];
    if (typeof v === 'string') out[f] = v;
    else if (Array.isArray(v)) out[f] = '\u0000repeated';
    else if (v !== undefined && typeof v === 'object')
      out[f] = typeof (v as Node)['#text'] === 'string' ? ((v as Node)['#text'] as string) : '';
  }
  return out;
}

/**
 * Reads a PFIF 1.4 document: every person with its notes (nested ones and top-level ones naming it).
 * A document that is not PFIF 1.4 at all throws XmlRefused; problems of single records are row errors.
 */
export function parsePfif(text: string): ParsedPfif {
  guardXml(text);
  const found = pfifRoot(parser.parse(text) as Node);
  if (!found) throw new XmlRefused(`the root element is neither pfif in the namespace ${PFIF_NS} nor an Atom feed of PFIF entries`);
  const { prefix, root } = found;
  const q = (local: string) => (prefix ? `${prefix}:${local}` : local);
  const persons: PfifPerson[] = asNodes(root[q('person')]).map((p) => ({
    ...readFields(p, prefix, personFields),
    notes: asNodes(p[q('note')]).map((n) => readFields(n, prefix, noteFields)),
  }));
  const topNotes = asNodes(root[q('note')]).map((n) => readFields(n, prefix, noteFields));
  const errors: RowError[] = [];
  const byId = new Map<string, PfifPerson>();
  persons.forEach((p, i) => {
    const problems = personProblems(p);
    const id = p.person_record_id ?? '';
    if (!problems.length && byId.has(id)) problems.push('同じ person_record_id の人がファイルに2回あります（§4.1）。');
    if (problems.length) errors.push({ row: i + 1, recordId: id, message: problems.join(' ') });
    else byId.set(id, p);
  });
  topNotes.forEach((n, i) => {
    const row = persons.length + i + 1;
    const owner = n.person_record_id !== undefined ? byId.get(n.person_record_id) : undefined;
    const problems = noteProblems(n, undefined);
    if (!problems.length && !owner) problems.push('この note の person_record_id の人がファイルにありません（§4.2）。');
    if (problems.length) errors.push({ row, recordId: n.note_record_id ?? '', message: problems.join(' ') });
    else owner!.notes.push(n);
  });
  return { persons: persons.filter((p) => byId.get(p.person_record_id ?? '') === p), errors };
}

// §4.1 person_record_id: "domain name followed by a slash and a local identifier".
const recordId = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\/[^\s/][^\s]*$/;
const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MAX_FIELD = 2000;

function commonProblems(record: object, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of names) {
    const v = (record as Record<string, unknown>)[f];
    if (typeof v !== 'string') continue;
    if (v === '\u0000repeated') out.push(`${f} が2回以上あります。`);
    else if (CONTROL.test(v)) out.push(`${f} に制御文字が含まれています。`);
    else if ([...v].length > MAX_FIELD) out.push(`${f} が長すぎます（${MAX_FIELD}文字まで）。`);
  }
  return out;
}

const checkDate = (v: string | undefined, f: string) =>
  v !== undefined && (!date.test(v) || Number.isNaN(Date.parse(v))) ? [`${f} は yyyy-mm-ddThh:mm:ssZ（UTC）で書いてください（§4）。`] : [];

function personProblems(p: PfifPerson): string[] {
  const out = commonProblems(p, personFields);
  if (!p.person_record_id) out.push('person_record_id がありません（§4.1 必須）。');
  else if (!recordId.test(p.person_record_id)) out.push('person_record_id は「ドメイン名/ID」の形にしてください（§4.1）。');
  if (!p.source_date) out.push('source_date がありません（§4.1 必須）。');
  if (!p.full_name) out.push('full_name がありません（§4.1 必須）。');
  out.push(
    ...checkDate(p.source_date, 'source_date'),
    ...checkDate(p.entry_date, 'entry_date'),
    ...checkDate(p.expiry_date, 'expiry_date'),
  );
  p.notes.forEach((n, i) => out.push(...noteProblems(n, p.person_record_id).map((m) => `note ${i + 1}: ${m}`)));
  return out;
}

function noteProblems(n: PfifNote, parent: string | undefined): string[] {
  const out = commonProblems(n, noteFields);
  if (!n.note_record_id) out.push('note_record_id がありません（§4.2 必須）。');
  else if (!recordId.test(n.note_record_id)) out.push('note_record_id は「ドメイン名/ID」の形にしてください（§4.2）。');
  if (!n.author_name) out.push('author_name がありません（§4.2 必須）。');
  if (!n.source_date) out.push('source_date がありません（§4.2 必須）。');
  out.push(...checkDate(n.source_date, 'source_date'), ...checkDate(n.entry_date, 'entry_date'));
  if (parent !== undefined && n.person_record_id !== undefined && n.person_record_id !== parent)
    out.push('person の中の note の person_record_id が、その person と違います（§4.2）。');
  if (parent === undefined && !n.person_record_id) out.push('person の外の note には person_record_id が必要です（§4.2）。');
  if (n.status !== undefined && !(noteStatuses as readonly string[]).includes(n.status))
    out.push(`status は ${noteStatuses.join('、')} のどれかにしてください（§4.2）。`);
  if (n.author_made_contact !== undefined && n.author_made_contact !== 'true' && n.author_made_contact !== 'false')
    out.push('author_made_contact は true か false にしてください（§4.2）。');
  return out;
}

/** The note that says most recently what is known (latest source_date), if any. */
export const latestNote = (p: PfifPerson): PfifNote | undefined =>
  [...p.notes].sort((a, b) => Date.parse(b.source_date ?? '') - Date.parse(a.source_date ?? ''))[0];
