import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * 組織: the prefecture's departments (部局) and sections (課), and the municipalities (市町村), as
 * data. Accounts' scope and indicators' owners hold a unit's id, so renaming a unit renames it
 * everywhere, and a unit that is gone is retired (its history keeps pointing at it).
 */
export const organisationUnits = pgTable(
  'organisation_units',
  {
    /** Municipalities: the 5-digit national code; prefecture units: a dotted slug, a section's starting with its department's id and a dot. */
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    parentId: text('parent_id'),
    position: integer('position').notNull(),
    provenance: text('provenance').notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }),
    check('organisation_units_kind', sql`${t.kind} in ('department', 'section', 'municipality')`),
    check('organisation_units_parent', sql`(${t.kind} = 'section') = (${t.parentId} is not null)`),
  ],
);
