// The change listener that keeps the attribute history of the temporal API (ETSI GS CIM 009 v1.8, 4.5,
// 5.7.3–5.7.4): every change of an attribute is recorded in broker_history in the transaction of the
// change (the store runs it), and temporal.ts serves it.
import { isDeepStrictEqual } from 'node:util';
import type { Instance } from './entity.ts';
import * as history from './repository-temporal.ts';
import type { ChangeListener } from './store.ts';

/** An instance's content: what it says, without the broker's own times, at every level of sub-attributes. */
function content(i: Instance): unknown {
  const { createdAt, modifiedAt, sub, ...rest } = i;
  return { ...rest, sub: sub && Object.fromEntries(Object.entries(sub).map(([k, list]) => [k, list.map(content)])) };
}

/**
 * Records each attribute instance that is new or whose content changed (at its observedAt, else at the
 * time of the change), and a row without an instance when an attribute goes, also when its entity is
 * deleted: the history outlives the entity until DELETE /temporal/entities/{id}.
 */
export const recordHistory: ChangeListener = async (tx, changes) => {
  const rows: history.HistoryRow[] = [];
  for (const { tenant, before, after, at, recorded } of changes) {
    const { id, types } = (after ?? before)!;
    if (recorded) {
      for (const { attr, instance } of recorded) rows.push({ tenant, entityId: id, types, attr, instance, at: instance.observedAt ?? at });
      continue;
    }
    const names = new Set([...Object.keys(before?.attrs ?? {}), ...Object.keys(after?.attrs ?? {})]);
    for (const attr of names) {
      const now = after?.attrs[attr];
      if (!now) {
        rows.push({ tenant, entityId: id, types, attr, at });
        continue;
      }
      const old = before?.attrs[attr];
      for (const instance of now) {
        const prev = old?.find((o) => o.datasetId === instance.datasetId);
        if (!prev || !isDeepStrictEqual(content(prev), content(instance)))
          rows.push({ tenant, entityId: id, types, attr, instance, at: instance.observedAt ?? at });
      }
    }
  }
  await history.insertHistory(tx, rows);
};
