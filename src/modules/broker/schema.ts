import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Instance } from './entity.ts';

/** NGSI-LD entities, per tenant (NGSILD-Tenant; '' is the default tenant of open data), in expanded form. */
export const brokerEntities = pgTable(
  'broker_entities',
  {
    tenant: text('tenant').notNull(),
    id: text('id').notNull(),
    types: text('types').array().notNull(),
    attrs: jsonb('attrs').$type<Record<string, Instance[]>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    modifiedAt: timestamp('modified_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] }), index('broker_entities_types').using('gin', t.types)],
);
