// The JMA adapter's SQL (jma/): feed validators, claimed reports, and each topic's current alert.
import { and, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { disasterJmaAlerts, disasterJmaFeeds, disasterJmaReports } from './schema.ts';

export interface FeedState {
  etag: string | null;
  lastModified: string | null;
}

export async function feedState(db: Db, url: string): Promise<FeedState | undefined> {
  const [row] = await db
    .select({ etag: disasterJmaFeeds.etag, lastModified: disasterJmaFeeds.lastModified })
    .from(disasterJmaFeeds)
    .where(eq(disasterJmaFeeds.url, url));
  return row;
}

export async function saveFeedState(db: Db, url: string, state: FeedState): Promise<void> {
  const checkedAt = new Date().toISOString();
  await db
    .insert(disasterJmaFeeds)
    .values({ url, ...state, checkedAt })
    .onConflictDoUpdate({ target: disasterJmaFeeds.url, set: { ...state, checkedAt } });
}

/** Which of these feed entries were taken before (by any process). */
export async function seenEntries(db: Db, entryIds: string[]): Promise<Set<string>> {
  if (!entryIds.length) return new Set();
  const found = await db
    .select({ id: disasterJmaReports.entryId })
    .from(disasterJmaReports)
    .where(inArray(disasterJmaReports.entryId, entryIds));
  return new Set(found.map((r) => r.id));
}

/** Takes a report for this process: false when it (or its feed entry) was taken before, here or elsewhere. */
export async function claimReport(db: Db, reportKey: string, entryId: string): Promise<boolean> {
  const rows = await db
    .insert(disasterJmaReports)
    .values({ reportKey, entryId, claimedAt: new Date().toISOString() })
    .onConflictDoNothing()
    .returning({ key: disasterJmaReports.reportKey });
  return rows.length === 1;
}

export type TopicAlert = typeof disasterJmaAlerts.$inferSelect;

export async function topicAlerts(db: Db, topics: string[]): Promise<Map<string, TopicAlert>> {
  if (!topics.length) return new Map();
  const found = await db.select().from(disasterJmaAlerts).where(inArray(disasterJmaAlerts.topic, topics));
  return new Map(found.map((r) => [r.topic, r]));
}

/** The active alerts of a report series (topics starting `series|`): what a 取消 in it may cancel. */
export async function activeAlertsOfSeries(db: Db, series: string): Promise<TopicAlert[]> {
  const prefix = `${series.replace(/[\\%_]/g, (c) => `\\${c}`)}|%`;
  return db
    .select()
    .from(disasterJmaAlerts)
    .where(and(like(disasterJmaAlerts.topic, prefix), eq(disasterJmaAlerts.active, true)));
}

export async function saveTopicAlert(db: Db, row: TopicAlert): Promise<void> {
  await db.insert(disasterJmaAlerts).values(row).onConflictDoUpdate({ target: disasterJmaAlerts.topic, set: row });
}
