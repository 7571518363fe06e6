// Reading XML from the JMA feeds safely: a document type declaration (the only way to define entities,
// so the only way to a billion-laughs expansion or an external entity) is refused outright — JMA's
// feeds and documents have none — and only well-formed XML is parsed. Pure: no I/O.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Elements that may repeat, always read as arrays (Atom's and 防災情報XML's). */
const repeated = new Set(['entry', 'link', 'Warning', 'Item', 'Kind', 'Area', 'Information', 'Pref', 'City']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Codes such as 0220100 stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => repeated.has(name),
});

export class XmlRefused extends Error {}

/** Refuses a document type declaration and anything not well-formed; other parts (PFIF) parse after it with their own options. */
export function guardXml(text: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRefused('a document type declaration (entities are not accepted)');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlRefused(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
}

export function parseXml(text: string): Record<string, unknown> {
  guardXml(text);
  return parser.parse(text) as Record<string, unknown>;
}

/** Helpers for reading the parsed tree, where any member may be missing or of another shape. */
export type Node = Record<string, unknown>;
export const node = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
export const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]);
/** An element's text (its #text when it has attributes). */
export const text = (v: unknown): string => {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return text(v[0]);
  const t = node(v)['#text'];
  return typeof t === 'string' ? t.trim() : '';
};
