// JSON-LD @context handling for NGSI-LD, without the internet: contexts are compiled once into a
// term map (term -> IRI) and cached; attribute names and types are expanded and compacted by lookup.
// The core context is a local copy and is always applied last, as the specification requires.
import { readFileSync } from 'node:fs';
import { problem } from './errors.ts';

export const CORE_CONTEXT_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
/**
 * Every URL the core context is published at: unversioned (what most clients and the Smart Data Models
 * name) and versioned from v1.0 to v1.8, over https or http. All resolve to the local v1.8 copy: the broker
 * speaks v1.8, and it never fetches a context.
 */
export const isCoreContextUrl = (url: string) =>
  /^https?:\/\/uri\.etsi\.org\/ngsi-ld\/v1\/ngsi-ld-core-context(-v1\.[0-8](\.\d+)?)?\.jsonld$/.test(url);
export const coreDocument = JSON.parse(
  readFileSync(new URL('../../../data/jsonld/ngsi-ld-core-context-v1.8.jsonld', import.meta.url), 'utf8'),
);

export interface TermMap {
  terms: Map<string, string>;
  /** IRI -> the term to write it as (the first one defined wins). */
  reverse: Map<string, string>;
  vocab: string;
}

/** URL -> context document, from the local map (NGSI_LD_CONTEXTS) and the context store. */
export type ContextLoader = (url: string) => unknown | undefined;

const isAbsoluteIri = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('urn:');

function collect(value: unknown, load: ContextLoader, into: Map<string, unknown>, depth = 0) {
  if (depth > 10) throw problem('LdContextNotAvailable', 'The @context nests too deeply.');
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    const doc = isCoreContextUrl(value) ? coreDocument : load(value);
    if (doc === undefined)
      throw problem(
        'LdContextNotAvailable',
        `The @context ${value} is not available on this broker (no internet: add it to the context store or NGSI_LD_CONTEXTS).`,
      );
    return collect((doc as { '@context'?: unknown })['@context'] ?? doc, load, into, depth + 1);
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, load, into, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) into.set(k, v);
    return;
  }
  throw problem('BadRequestData', 'The @context must be a URL, an object or an array of them.');
}

function compile(definitions: Map<string, unknown>): TermMap {
  const raw = new Map<string, string>();
  let vocab = 'https://uri.etsi.org/ngsi-ld/default-context/';
  for (const [k, v] of definitions) {
    if (k === '@vocab' && typeof v === 'string') vocab = v;
    else if (typeof v === 'string') raw.set(k, v);
    else if (v && typeof v === 'object' && typeof (v as { '@id'?: unknown })['@id'] === 'string')
      raw.set(k, (v as { '@id': string })['@id']);
  }
  const resolve = (iri: string, seen = 0): string => {
    if (iri.startsWith('@') || isAbsoluteIri(iri) || seen > 5) return iri;
    const colon = iri.indexOf(':');
    if (colon > 0) {
      const prefix = raw.get(iri.slice(0, colon));
      if (prefix) return resolve(prefix, seen + 1) + iri.slice(colon + 1);
    }
    return raw.has(iri) ? resolve(raw.get(iri)!, seen + 1) : iri;
  };
  const terms = new Map<string, string>();
  const reverse = new Map<string, string>();
  for (const [k, v] of raw) {
    const iri = resolve(v);
    terms.set(k, iri);
    if (!reverse.has(iri) && !iri.startsWith('@')) reverse.set(iri, k);
  }
  return { terms, reverse, vocab };
}

const cache = new Map<string, TermMap>();
/** After a context is removed from the store, nothing compiled from it may be used. */
export const clearTermMaps = () => cache.clear();

/**
 * The term map of an @context stored with a subscription: should it have become unavailable (a context
 * removed from the store, NGSI_LD_CONTEXTS changed), the core context stands in rather than failing a
 * write or a notification.
 */
export function storedTermMap(context: unknown, load: ContextLoader): TermMap {
  try {
    return termMap(context, load);
  } catch {
    return termMap(undefined, load);
  }
}

/** The term map of a request's @context (user contexts first, then the core context). */
export function termMap(context: unknown, load: ContextLoader): TermMap {
  const key = JSON.stringify(context ?? null);
  let map = cache.get(key);
  if (!map) {
    const definitions = new Map<string, unknown>();
    collect(context, load, definitions);
    collect(CORE_CONTEXT_URL, load, definitions);
    map = compile(definitions);
    if (cache.size > 500) cache.clear();
    cache.set(key, map);
  }
  return map;
}

export function expand(term: string, map: TermMap): string {
  if (isAbsoluteIri(term)) return term;
  const known = map.terms.get(term);
  if (known) return known;
  const colon = term.indexOf(':');
  if (colon > 0) {
    const prefix = map.terms.get(term.slice(0, colon));
    if (prefix) return prefix + term.slice(colon + 1);
  }
  return map.vocab + term;
}

export function compact(iri: string, map: TermMap): string {
  const term = map.reverse.get(iri);
  if (term) return term;
  if (iri.startsWith(map.vocab)) return iri.slice(map.vocab.length);
  return iri;
}

/** The @context from a Link header: <url>; rel="http://www.w3.org/ns/json-ld#context" */
export function contextFromLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const m = /<([^>]+)>\s*;[^,]*rel="?http:\/\/www\.w3\.org\/ns\/json-ld#context"?/.exec(link);
  if (!m) throw problem('BadRequestData', 'The Link header does not name a JSON-LD context (rel="http://www.w3.org/ns/json-ld#context").');
  return m[1];
}
