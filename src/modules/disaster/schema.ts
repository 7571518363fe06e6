import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Each JMA Atom feed's validators (JMA_FEEDS), so every poll is a conditional request. */
export const disasterJmaFeeds = pgTable('disaster_jma_feeds', {
  url: text('url').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  checkedAt: tstz('checked_at').notNull(),
});

/**
 * The JMA reports taken, claimed before they are acted on: a feed entry (its Atom id) and a report
 * (type, office, EventID, ReportDateTime, serial, InfoType) are each taken once, by one process.
 */
export const disasterJmaReports = pgTable('disaster_jma_reports', {
  reportKey: text('report_key').primaryKey(),
  entryId: text('entry_id').notNull().unique(),
  claimedAt: tstz('claimed_at').notNull(),
});

/**
 * The alert each JMA topic (report type, municipality, phenomenon; or an earthquake's EventID) has:
 * a later report updates it, 解除/取消 cancel it (active false), and a new issue after that makes a new one.
 */
export const disasterJmaAlerts = pgTable('disaster_jma_alerts', {
  topic: text('topic').primaryKey(),
  alertId: text('alert_id').notNull(),
  /** The warning class code the alert is at (e.g. 10 大雨注意報, 03 大雨警報): a change of class is an update. */
  code: text('code').notNull(),
  active: boolean('active').notNull(),
  /** The report that last changed it (取消 of that report cancels it) and its ReportDateTime (older reports are ignored). */
  reportKey: text('report_key').notNull(),
  reportTime: tstz('report_time').notNull(),
});
