// Polls the JMA Atom feeds (JMA_FEEDS) every JMA_POLL_SECONDS through the outbound policy: conditional
// requests (If-None-Match / If-Modified-Since from the validators kept in the database), a timeout and
// a body limit per request, redirects not followed. Each new entry of a kind taken is fetched, read,
// claimed in the database (so a restart or a second process never acts on it again) and applied.
// A failure of one feed or document is reported and retried at the next poll; it never stops the others.
import type { Db } from '../../../platform/db.ts';
import type { Outbound } from '../../../platform/outbound.ts';
import * as repo from '../repository-jma.ts';
import { applyReport, type ApplyDeps } from './apply.ts';
import { reportTitles } from './classes.ts';
import { parseFeed } from './feed.ts';
import { readReport } from './report.ts';

export interface JmaOptions {
  /** The Atom feeds' URLs (JMA_FEEDS); none: the poller is off. */
  feeds: string[];
  /** JMA_POLL_SECONDS (default 60). */
  pollSeconds: number;
  /** Per request, body included (default 10 s). */
  timeoutMs?: number;
  /** The largest feed and document read (defaults 4 MiB and 2 MiB; JMA's are well under). */
  maxFeedBytes?: number;
  maxDocumentBytes?: number;
  /** The lowest 震度 in a municipality that alerts it (JMA_MIN_INTENSITY; default 4). */
  minIntensity?: string;
}

export interface JmaDeps extends ApplyDeps {
  db: Db;
  outbound: Outbound;
  log?: (message: string) => void;
}

/** What one poll of one feed did. */
export interface FeedPoll {
  url: string;
  outcome: 'unchanged' | 'read' | 'failed';
  /** Why the feed (or a document in it) was not read. */
  problems: string[];
  issued: string[];
  updated: string[];
  cancelled: string[];
}

const xmlType = /^(application\/(atom\+)?xml|text\/xml)\s*(;|$)/i;

class Refused extends Error {}

/** A GET through the outbound policy: 304 → undefined; anything but 200 with an XML body within `max` is refused. */
async function getXml(deps: JmaDeps, url: string, headers: Record<string, string>, max: number, timeoutMs: number) {
  const res = await deps.outbound.fetch(url, {
    headers: { accept: 'application/atom+xml, application/xml', ...headers },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status === 304) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !xmlType.test(type)) {
    await res.body?.cancel();
    throw new Refused(
      res.status !== 200
        ? `HTTP ${res.status}${res.headers.get('location') ? ' (redirects are not followed)' : ''}`
        : `content type ${type.slice(0, 60) || 'none'}`,
    );
  }
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    throw new Refused(`a body over ${max} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > max) throw new Refused(`a body over ${max} bytes`);
    chunks.push(chunk);
  }
  const body = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  return { body, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
}

export function jmaPoller(deps: JmaDeps, options: JmaOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxFeed = options.maxFeedBytes ?? 4 * 1024 * 1024;
  const maxDocument = options.maxDocumentBytes ?? 2 * 1024 * 1024;
  const log = deps.log ?? ((m: string) => console.error(m));
  const reason = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 200);

  async function pollFeed(url: string): Promise<FeedPoll> {
    const result: FeedPoll = { url, outcome: 'unchanged', problems: [], issued: [], updated: [], cancelled: [] };
    const state = await repo.feedState(deps.db, url);
    const conditional: Record<string, string> = {};
    if (state?.etag) conditional['if-none-match'] = state.etag;
    if (state?.lastModified) conditional['if-modified-since'] = state.lastModified;
    let feed: Awaited<ReturnType<typeof getXml>>;
    let entries: ReturnType<typeof parseFeed>;
    try {
      feed = await getXml(deps, url, conditional, maxFeed, timeoutMs);
      if (!feed) return result;
      entries = parseFeed(feed.body, url);
    } catch (e) {
      return { ...result, outcome: 'failed', problems: [reason(e)] };
    }
    result.outcome = 'read';
    const seen = await repo.seenEntries(
      deps.db,
      entries.map((e) => e.id),
    );
    let complete = true;
    for (const entry of entries) {
      if (seen.has(entry.id) || !(entry.title in reportTitles)) continue;
      let text: string;
      try {
        text = (await getXml(deps, entry.link, {}, maxDocument, timeoutMs))!.body;
      } catch (e) {
        result.problems.push(`${entry.link}: ${reason(e)}`);
        // A network failure is retried at the next poll; a document refused for what it is, is not.
        if (!(e instanceof Refused)) complete = false;
        if (e instanceof Refused) await repo.claimReport(deps.db, `refused|${entry.id}`, entry.id);
        continue;
      }
      let report: ReturnType<typeof readReport>;
      try {
        report = readReport(text);
      } catch (e) {
        report = reason(e);
      }
      if (typeof report === 'string') {
        result.problems.push(`${entry.link}: ${report}`);
        await repo.claimReport(deps.db, `skipped|${entry.id}`, entry.id);
        continue;
      }
      if (!(await repo.claimReport(deps.db, report.key, entry.id))) continue;
      const done = await applyReport(options.minIntensity ? { ...deps, minIntensity: options.minIntensity } : deps, report);
      result.issued.push(...done.issued);
      result.updated.push(...done.updated);
      result.cancelled.push(...done.cancelled);
    }
    // Validators are kept only once every entry was handled: otherwise a 304 would hide one left over.
    if (complete) await repo.saveFeedState(deps.db, url, { etag: feed.etag, lastModified: feed.lastModified });
    return result;
  }

  let running: Promise<FeedPoll[]> | undefined;
  /** Polls every feed once, one after the other (a poll already running is waited for, not doubled). */
  const pollOnce = (): Promise<FeedPoll[]> =>
    (running ??= (async () => {
      const results: FeedPoll[] = [];
      for (const url of options.feeds) {
        const r = await pollFeed(url).catch((e: unknown) => ({ ...emptyPoll(url), outcome: 'failed' as const, problems: [reason(e)] }));
        for (const p of r.problems) log(`JMA ${url}: ${p}`);
        results.push(r);
      }
      return results;
    })().finally(() => (running = undefined)));

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  const schedule = () => {
    timer = setTimeout(() => void pollOnce().finally(() => !stopped && schedule()), options.pollSeconds * 1000);
  };
  return {
    pollOnce,
    /** Starts polling (now, then every pollSeconds); nothing when no feed is configured. */
    start() {
      if (!options.feeds.length || !stopped) return;
      stopped = false;
      void pollOnce().finally(() => !stopped && schedule());
    },
    /** Stops polling and waits for a poll under way. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

const emptyPoll = (url: string): FeedPoll => ({ url, outcome: 'unchanged', problems: [], issued: [], updated: [], cancelled: [] });
