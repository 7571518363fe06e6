// Staff commands on disaster information: post an item, confirm it is still current (dateObserved
// now), end it (delete). Each is one broker transaction with its audit entry; only the municipality's
// editors (and the prefecture) may, and only on items staff wrote (agencies' items are theirs): else 404.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import type { BrokerModule } from '../broker/index.ts';
import { toEntity, type InformationInput } from './information-input.ts';
import { infoCategories, type InformationSource } from './information.ts';
import { canPostInformation } from './rules.ts';
import type { MapDataSource } from './shelters.ts';

const isStaffItem = (id: string) => /^urn:ngsi-ld:[A-Za-z]+:staff-\d{5}-/.test(id);

export function informationCommands(broker: Pick<BrokerModule, 'queries' | 'commands'>, map: MapDataSource, info: InformationSource) {
  /** A staff-written item the actor may change, else 404. */
  async function own(actor: Actor, id: string) {
    const item = (await info.get()).all.find((i) => i.id === id);
    if (!item || !isStaffItem(id) || !item.municipality || !canPostInformation(actor, item.municipality)) throw notFound('災害情報');
    return item;
  }
  const audit = (actor: Actor, action: string, entityId: string, after: unknown) => (tx: Parameters<typeof appendAudit>[0]) =>
    appendAudit(tx, { actorId: actor.id, action, entity: 'disaster_information', entityId, after });

  return {
    async post(actor: Actor, input: InformationInput): Promise<string> {
      const m = (await map.get()).municipalities.get(input.municipality);
      if (!m || !canPostInformation(actor, input.municipality)) throw notFound('市町村');
      const now = new Date().toISOString();
      const id = `urn:ngsi-ld:${infoCategories[input.category].type}:staff-${m.code}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const source = input.source || `${m.name}（職員入力）`;
      await broker.commands.batch(
        [{ tenant: '', put: toEntity(id, input, source, now) }],
        audit(actor, 'post_disaster_information', id, input),
      );
      return id;
    },
    async confirm(actor: Actor, id: string): Promise<void> {
      await own(actor, id);
      const e = await broker.queries.entity('', id);
      if (!e) throw notFound('災害情報');
      const now = new Date().toISOString();
      const { createdAt: _c, modifiedAt: _m, ...rest } = e;
      const put = { ...rest, dateObserved: { type: 'Property', value: now, observedAt: now } } as typeof e;
      await broker.commands.batch([{ tenant: '', put }], audit(actor, 'confirm_disaster_information', id, { dateObserved: now }));
    },
    async end(actor: Actor, id: string): Promise<void> {
      const item = await own(actor, id);
      await broker.commands.batch([{ tenant: '', remove: id }], audit(actor, 'end_disaster_information', id, item));
    },
  };
}
export type InformationCommands = ReturnType<typeof informationCommands>;
