// Which entity changes a subscription is notified of (ETSI GS CIM 009 v1.8, 5.2.12 notificationTrigger,
// 5.11) and how each entity is represented in the notification: the subscription's format, attributes,
// datasetIds, language and @context, deletions as urn:ngsi-ld:null, and with showChanges the previous
// values. Pure: no I/O.
import { compact, storedTermMap, type ContextLoader, type TermMap } from './context.ts';
import { NGSI_LD_NULL, render, renderInstance, type Instance, type StoredEntity } from './entity.ts';
import { geoHolds, parseGeoQuery } from './geo.ts';
import { matches, parseQ } from './q.ts';
import type { EntityChange } from './store.ts';
import type { EntitySelector, NotificationTrigger, SubscriptionBody } from './subscription.ts';
import { compilePattern } from './pattern.ts';

/**
 * The term maps of a subscription: its own @context reads its q, and jsonldContext (else its own)
 * compacts its notifications (storedTermMap: the core context stands in for one that has gone).
 */
export function subscriptionMaps(s: { body: SubscriptionBody; context: unknown }, load: ContextLoader) {
  const q = storedTermMap(s.context, load);
  return { q, out: s.body.jsonldContext ? storedTermMap(s.body.jsonldContext, load) : q };
}

/** Key order and system times aside, so that the same content read back from jsonb compares equal. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const content = (list: Instance[]): unknown =>
  list.map(({ createdAt: _c, modifiedAt: _m, sub, ...rest }) => ({
    ...rest,
    sub: sub && Object.fromEntries(Object.entries(sub).map(([k, l]) => [k, content(l)])),
  }));
const same = (a: Instance[], b: Instance[]) => canonical(content(a)) === canonical(content(b));

/** What a change did to each attribute; writing the same content again is no change. */
export function attributeEvents(before: StoredEntity | undefined, after: StoredEntity) {
  const created = Object.keys(after.attrs).filter((a) => !before?.attrs[a]);
  const updated = Object.keys(after.attrs).filter((a) => before?.attrs[a] && !same(before.attrs[a], after.attrs[a]!));
  const deleted = before ? Object.keys(before.attrs).filter((a) => !after.attrs[a]) : [];
  return { created, updated, deleted };
}

/** The entity with only the instances of the subscription's datasetIds ('@none': no datasetId). */
function scoped(e: StoredEntity, datasetIds: string[] | undefined): StoredEntity {
  if (!datasetIds) return e;
  const attrs: Record<string, Instance[]> = {};
  for (const [name, list] of Object.entries(e.attrs)) {
    const kept = list.filter((i) => datasetIds.includes(i.datasetId ?? '@none'));
    if (kept.length) attrs[name] = kept;
  }
  return { ...e, attrs };
}

/** The triggers a subscription reacts to; entityUpdated stands for the three attribute triggers. */
function triggersOf(s: SubscriptionBody): Set<NotificationTrigger> {
  const t = new Set<NotificationTrigger>(s.notificationTrigger ?? ['attributeCreated', 'attributeUpdated']);
  if (t.has('entityUpdated')) ['attributeCreated', 'attributeUpdated', 'attributeDeleted'].forEach((x) => t.add(x as NotificationTrigger));
  return t;
}

const contentKey = (type: string) => (type === 'Relationship' ? 'object' : type === 'LanguageProperty' ? 'languageMap' : 'value');
const previousKey = { value: 'previousValue', object: 'previousObject', languageMap: 'previousLanguageMap' } as const;
const one = <T>(list: T[]) => (list.length === 1 ? list[0] : list);

/**
 * An attribute as deleted: its content urn:ngsi-ld:null (the NGSI-LD Null), with showChanges what it
 * was, with sysAttrs its times and when it was deleted.
 */
function deletedAttribute(list: Instance[], o: { keyValues: boolean; showChanges: boolean; sysAttrs: boolean }, deletedAt: string) {
  if (o.keyValues) return NGSI_LD_NULL;
  return one(
    list.map((i) => {
      const key = contentKey(i.type);
      return {
        type: i.type,
        ...(o.showChanges && { [previousKey[key]]: i[key] }),
        [key]: NGSI_LD_NULL,
        ...(i.datasetId && { datasetId: i.datasetId }),
        ...(o.sysAttrs && { createdAt: i.createdAt, modifiedAt: i.modifiedAt, deletedAt }),
      };
    }),
  );
}

/** The text of a languageMap for the subscription's lang: the first tag that has one, else @none, else any. */
function pickLanguage(languageMap: Record<string, string>, lang: string): [string, string] | undefined {
  const tags = lang.split(',');
  if (tags.includes('*')) return undefined;
  for (const tag of tags) {
    const key = Object.keys(languageMap).find((k) => k === tag || k.startsWith(`${tag}-`));
    if (key) return [key, languageMap[key]!];
  }
  const fallback = '@none' in languageMap ? '@none' : Object.keys(languageMap)[0];
  return fallback === undefined ? undefined : [fallback, languageMap[fallback]!];
}

/** A LanguageProperty under a lang filter (4.15): a Property holding the chosen text, and its lang. */
function withLanguage(rendered: unknown, i: Instance, lang: string, keyValues: boolean): unknown {
  const chosen = i.languageMap && pickLanguage(i.languageMap, lang);
  if (!chosen) return rendered;
  if (keyValues) return chosen[1];
  const { type: _t, languageMap: _l, ...rest } = rendered as Record<string, unknown>;
  return { type: 'Property', value: chosen[1], lang: chosen[0], ...rest };
}

interface Shown {
  /** The entity as the notification shows it (datasetIds applied). */
  entity: StoredEntity;
  /** As it was before the change, when it existed (datasetIds applied). */
  before?: StoredEntity;
  /** Attributes to show as deleted. */
  deleted: string[];
  /** The entity was deleted: all of its attributes are shown as deleted. */
  entityDeleted?: boolean;
  /** When the change happened (ISO 8601). */
  at: string;
}

/** The entity in a notification: the subscription's format, attributes, datasetIds and lang, compacted with `map`. */
function represent(s: SubscriptionBody, shown: Shown, map: TermMap): Record<string, unknown> {
  const n = s.notification;
  const keyValues = n.format === 'keyValues';
  const attrs = n.attributes && new Set(n.attributes);
  const showChanges = !!n.showChanges && !keyValues;
  const { entity, before } = shown;
  const o = { keyValues, sysAttrs: !!n.sysAttrs, attrs };
  const out = render(shown.entityDeleted ? { ...entity, attrs: {} } : entity, map, o);
  if (shown.entityDeleted) out.deletedAt = shown.at;
  for (const [name, list] of shown.entityDeleted ? [] : Object.entries(entity.attrs)) {
    if (attrs && !attrs.has(name)) continue;
    const old = before?.attrs[name];
    const changed = showChanges && old && !same(old, list);
    if (!changed && !(s.lang && list.some((i) => i.type === 'LanguageProperty'))) continue;
    // Rendered again instance by instance, to add what it was or to apply the language.
    out[compact(name, map)] = one(
      list.map((i) => {
        let r = renderInstance(i, map, o);
        const prev = changed ? old.find((p) => p.datasetId === i.datasetId) : undefined;
        if (prev && !keyValues) {
          const key = contentKey(prev.type);
          r = { ...(r as object), [previousKey[key]]: prev[key] };
        }
        return s.lang && i.type === 'LanguageProperty' ? withLanguage(r, i, s.lang, keyValues) : r;
      }),
    );
  }
  const deleted = shown.entityDeleted ? Object.keys(entity.attrs) : shown.deleted;
  const source = shown.entityDeleted ? entity : before;
  const as = { keyValues, showChanges: !!n.showChanges, sysAttrs: !!n.sysAttrs };
  for (const name of deleted) if (!attrs || attrs.has(name)) out[compact(name, map)] = deletedAttribute(source!.attrs[name]!, as, shown.at);
  return out;
}

/** The entity as a periodic notification carries it (its current state). */
export function notificationData(s: SubscriptionBody, e: StoredEntity, map: TermMap) {
  return represent(s, { entity: scoped(e, s.datasetId), deleted: [], at: e.modifiedAt }, map);
}

/**
 * For a change subscription: what an entity change puts in its notification, or undefined when the
 * change does not concern it. `maps` are the subscription's (subscriptionMaps).
 */
export function notificationFor(s: SubscriptionBody, maps: { q: TermMap; out: TermMap }) {
  const q = s.q ? parseQ(s.q) : undefined;
  const g = s.geoQ;
  const geo = g && parseGeoQuery(g.georel, g.geometry, JSON.stringify(g.coordinates));
  const triggers = triggersOf(s);
  const watched = s.watchedAttributes;
  const watches = (a: string) => !watched || watched.includes(a);
  const chosen = (e: StoredEntity, sel: EntitySelector) =>
    e.types.includes(sel.type) &&
    (sel.id ? sel.id === e.id : !sel.idPattern || compilePattern(sel.idPattern, 'entities: idPattern').test(e.id));

  return (ch: EntityChange): Record<string, unknown> | undefined => {
    const subject = (ch.after ?? ch.before)!;
    if (s.entities && !s.entities.some((sel) => chosen(subject, sel))) return undefined;
    const before = ch.before && scoped(ch.before, s.datasetId);
    let shown: Shown;
    if (!ch.after) {
      if (!triggers.has('entityDeleted') || (watched && !Object.keys(before!.attrs).some(watches))) return undefined;
      shown = { entity: before!, deleted: [], entityDeleted: true, at: ch.at };
    } else {
      const after = scoped(ch.after, s.datasetId);
      const ev = attributeEvents(before, after);
      const deleted = triggers.has('attributeDeleted') ? ev.deleted.filter(watches) : [];
      const fires =
        (!before && triggers.has('entityCreated') && (!watched || Object.keys(after.attrs).some(watches))) ||
        // A new entity without attributes is still news to a subscription that watches no attribute in particular.
        (triggers.has('attributeCreated') && (ev.created.some(watches) || (!before && !watched))) ||
        (triggers.has('attributeUpdated') && ev.updated.some(watches)) ||
        deleted.length > 0;
      if (!fires) return undefined;
      shown = { entity: after, before, deleted, at: ch.at };
    }
    if ((q && !matches(subject, q, maps.q)) || (geo && !geoHolds(subject, g.geoproperty, geo))) return undefined;
    return represent(s, shown, maps.out);
  };
}
