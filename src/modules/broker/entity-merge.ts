// Merging a fragment into an entity (ETSI GS CIM 009 v1.8, 5.6.17 merge, and the NGSI-LD Null of 5.6.2
// and 5.6.4 that update and partial attribute update share): the fragment's attributes are added, or
// merged into the stored ones member by member, and `urn:ngsi-ld:null` deletes: an attribute, one
// instance of it (by datasetId) or a sub-attribute. Used by PATCH /entities/{id} (merge.ts), batch
// merge and the attribute updates (api.ts).
import { expand, type TermMap } from './context.ts';
import {
  instances,
  NGSI_LD_NULL,
  renderInstance,
  reservedEntityKeys,
  scopesOf,
  typesOf,
  type Instance,
  type StoredEntity,
} from './entity.ts';
import { checkSameId } from './request.ts';
import type { EntityStore } from './store.ts';

/** Whether an attribute (or sub-attribute) instance as sent says "delete me". */
export function isNull(raw: unknown): boolean {
  if (raw === null || raw === NGSI_LD_NULL) return true;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const a = raw as Record<string, unknown>;
  return [a.value, a.object, a.json, a.vocab, (a.languageMap as Record<string, unknown> | undefined)?.['@none']].includes(NGSI_LD_NULL);
}

/** A fragment's attributes that delete (the NGSI-LD Null, whole or in an instance), and the others. */
export function splitNulls(fragment: Record<string, unknown>) {
  const nulls: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fragment)) {
    if (!reservedEntityKeys.has(k) && (Array.isArray(v) ? v.some(isNull) : isNull(v))) nulls[k] = v;
    else rest[k] = v;
  }
  return { nulls, rest };
}

/** One instance merged into the stored one: the members given replace theirs; null sub-attributes go. */
function mergeInstance(name: string, old: Instance, raw: Record<string, unknown>, map: TermMap, now: string): Instance {
  const members = { ...(renderInstance(old, map, { keyValues: false, sysAttrs: false }) as Record<string, unknown>) };
  // A new type brings its own value member (value, object, languageMap…): the old one does not carry over.
  if (raw.type !== undefined && raw.type !== old.type) for (const k of valueMembers) delete members[k];
  for (const [k, v] of Object.entries(raw)) {
    if (!valueMembers.includes(k) && isNull(v)) delete members[k];
    else members[k] = v;
  }
  const [next] = instances(name, members, map, now);
  return { ...next!, createdAt: old.createdAt };
}
const valueMembers = ['value', 'object', 'languageMap', 'json', 'vocab'];

/** The entity with the fragment merged in (pure; validation errors are BadRequestData). */
export function mergeFragment(e: StoredEntity, fragment: Record<string, unknown>, map: TermMap, now: string): StoredEntity {
  const attrs = { ...e.attrs };
  for (const [term, raw] of Object.entries(fragment)) {
    if (reservedEntityKeys.has(term)) continue;
    const name = expand(term, map);
    // The concise null deletes the whole attribute; a null instance only the instance of its datasetId.
    if (raw === null || raw === NGSI_LD_NULL) {
      delete attrs[name];
      continue;
    }
    let list = [...(attrs[name] ?? [])];
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      const datasetId = (item as { datasetId?: unknown } | null)?.datasetId;
      const at = list.findIndex((i) => i.datasetId === datasetId);
      if (isNull(item)) list = list.filter((_, n) => n !== at);
      else if (at >= 0 && item && typeof item === 'object')
        list[at] = mergeInstance(term, list[at]!, item as Record<string, unknown>, map, now);
      else list.push(...instances(term, item, map, now));
    }
    if (list.length) attrs[name] = list;
    else delete attrs[name];
  }
  const types = fragment.type === undefined ? [] : typesOf(fragment, map);
  const { scope: _, ...rest } = e;
  // Scopes are added as types are; the NGSI-LD Null removes them all.
  const scope = fragment.scope === NGSI_LD_NULL ? undefined : [...new Set([...(e.scope ?? []), ...(scopesOf(fragment.scope) ?? [])])];
  return { ...rest, types: [...new Set([...e.types, ...types])], attrs, ...(scope?.length && { scope }), modifiedAt: now };
}

/** Merges a fragment into the stored entity `id` (ResourceNotFound when there is none). */
export async function mergeEntity(
  store: EntityStore,
  tenant: string,
  id: string,
  fragment: Record<string, unknown>,
  map: TermMap,
  now: string,
) {
  checkSameId(fragment, id);
  await store.modify(tenant, id, (e) => mergeFragment(e, fragment, map, now));
}
