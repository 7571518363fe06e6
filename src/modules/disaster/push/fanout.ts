// The push fan-out: one watcher on `Alert` entities (whoever wrote them: staff, the JMA adapter, another
// system through the NGSI-LD API) queues each new alert version in the write's transaction; a worker,
// in whichever process takes the job (SKIP LOCKED), matches it to the registered areas (prefilter in
// SQL, exact test here) and sends each recipient one Web Push (RFC 8030 + RFC 8291 aes128gcm + RFC 8292
// VAPID) through the outbound policy. 404/410: the subscription is gone and is deleted; 429/5xx and
// network failures: retried with backoff; other answers: dropped.
import { availableParallelism } from 'node:os';
import type { Db } from '../../../platform/db.ts';
import { localEntity, type ChangeListener } from '../../broker/index.ts';
import { fromEntity, type Alert } from '../alert.ts';
import * as repo from '../repository-push.ts';
import type { MapData, MapDataSource } from '../shelters.ts';
import type { Point, SealedPoint } from '../my-area-points.ts';
import { areaBox, circleTouches, type Area } from './geo.ts';
import { encryptor } from './encrypt.ts';
import { alertVersion, pushMessage, topic, ttl, urgency } from './message.ts';

const ALERT_TYPE = 'https://uri.etsi.org/ngsi-ld/default-context/Alert';

/** Queues every new version of an open-data Alert entity (created, updated, cancelled); `wake` runs after commit. */
export function alertWatcher(wake: () => void): ChangeListener {
  return async (tx, changes) => {
    let queued = false;
    for (const c of changes) {
      if (c.tenant !== '' || !c.after?.types.includes(ALERT_TYPE)) continue;
      const alert = fromEntity(localEntity(c.after));
      if (!alert) continue;
      await repo.queueJob(tx, alertVersion(alert), alert);
      queued = true;
    }
    return queued ? wake : undefined;
  };
}

/** The alert's geometry: the drawn area, else its municipalities' boundaries. */
function geometryOf(alert: Alert, data: MapData): Area[] {
  if (alert.area) return [alert.area as Area];
  return alert.municipalities.flatMap((c) => {
    const m = data.municipalities.get(c);
    return m ? [m.boundary as Area] : [];
  });
}

const PAGE = 5000;

/** Opens residents' sealed account points in `db` (my-area-points.ts openPointsOfMany: one access-log row each); undefined for one that did not open. */
export type PointOpener = (db: Db, due: { residentId: string; points: SealedPoint[] }[]) => Promise<(Point[] | undefined)[]>;

/** Every subscription that should get the alert, page by page (`each` gets one page's ids). */
export async function matchRecipients(db: Db, data: MapData, alert: Alert, open: PointOpener, each: (ids: number[]) => Promise<void>) {
  const areas = geometryOf(alert, data);
  const box = areaBox(areas);
  const codes = new Set(alert.municipalities);
  const touches = (point: Point, radius: number) => areas.some((g) => circleTouches(point, radius, g));
  const meets = ([minLon, minLat, maxLon, maxLat]: number[]) =>
    !!box && minLon! <= box.maxLon && maxLon! >= box.minLon && minLat! <= box.maxLat && maxLat! >= box.minLat;
  // Account points whose coarse box meets the alert's, opened once per resident for this alert.
  const opened = new Map<string, Point>();
  const done = new Set<string>();
  for (let after = 0; ;) {
    const page = await repo.candidates(db, alert.municipalities, box, after, PAGE);
    if (!page.length) return;
    after = page[page.length - 1]!.id;
    const due = new Map<string, Map<string, SealedPoint>>();
    for (const a of page.flatMap((s) => s.account))
      if (a.pointId && a.point && a.box && meets(a.box) && !done.has(a.residentId))
        (due.get(a.residentId) ?? due.set(a.residentId, new Map()).get(a.residentId)!).set(a.pointId, {
          pointId: a.pointId,
          point: a.point,
        });
    // One opening for the page's accounts (one access-log statement), not one round trip per account.
    const batch = [...due].map(([residentId, points]) => ({ residentId, points: [...points.values()] }));
    for (const b of batch) done.add(b.residentId);
    const points = await open(db, batch);
    batch.forEach((b, i) => {
      // A point that does not open (a key gone): that account's points miss this alert; nobody else's do.
      if (!points[i]) console.warn("push: an account's my-area points did not open; skipped");
      points[i]?.forEach((p, k) => opened.set(b.points[k]!.pointId, p));
    });
    const ids = page
      .filter(
        (s) =>
          s.areas.some((a) => ('municipality' in a ? codes.has(a.municipality) : touches(a.point, a.radius))) ||
          s.account.some((a) =>
            a.municipality ? codes.has(a.municipality) : !!a.pointId && opened.has(a.pointId) && touches(opened.get(a.pointId)!, a.radius!),
          ),
      )
      .map((s) => s.id);
    await each(ids);
  }
}

/** How many subscriptions an alert would reach now (the staff preview). */
export async function countRecipients(db: Db, map: MapDataSource['get'], open: PointOpener, alert: Alert): Promise<number> {
  let n = 0;
  await matchRecipients(db, await map(), alert, open, async (ids) => void (n += ids.length));
  return n;
}

export interface PushWorkerOptions {
  /** Pushes in flight at once. */
  concurrency?: number;
  pollMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A push not taken after this many attempts is dropped. */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Threads encrypting pushes (default: the machine's cores); 0: on the main thread. */
  encryptThreads?: number;
  log?: (m: string) => void;
}

export interface PushWorkerDeps {
  db: Db;
  map: MapDataSource['get'];
  /** The outbound policy's fetch. */
  send: typeof fetch;
  /** The Authorization header for an endpoint (vapid.ts). */
  authorization: (endpoint: string) => Promise<string>;
  openPoints: PointOpener;
}

const BATCH = 2000;
/** Recipients per encryption task. */
const CHUNK = 100;

export function pushWorker(deps: PushWorkerDeps, options: PushWorkerOptions = {}) {
  const o = {
    concurrency: 64,
    pollMs: 2000,
    backoffMs: 1000,
    maxBackoffMs: 300_000,
    maxAttempts: 12,
    timeoutMs: 10_000,
    encryptThreads: availableParallelism(),
    log: console.warn,
    ...options,
  };
  const crypt = encryptor(o.encryptThreads);
  const leaseMs = o.timeoutMs * 3 + 10_000;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const expand = async () => {
    for (;;) {
      // Read before the transaction: the map data's own reads must not wait for it (one connection on PGlite).
      const data = await deps.map();
      const took = await deps.db.transaction(async (tx) => {
        const job = await repo.claimJob(tx);
        if (!job) return false;
        await matchRecipients(tx, data, job.alert as Alert, deps.openPoints, (ids) => repo.addDeliveries(tx, job.id, ids));
        await repo.jobExpanded(tx, job.id);
        return true;
      });
      if (!took) return;
    }
  };

  /** Sends one push (its body encrypted for it); says what became of it. */
  const push = async (d: repo.DueDelivery, body: Uint8Array<ArrayBuffer> | Error): Promise<'done' | 'gone' | 'retry'> => {
    const alert = d.alert as Alert;
    if (body instanceof Error) {
      o.log(`push to subscription ${d.id} could not be encrypted: ${body.message}; dropped`);
      return 'done';
    }
    try {
      // RFC 8030 §5 POST, RFC 8188/8291 aes128gcm body, RFC 8292 §3 Authorization (vapid.ts).
      const res = await deps.send(d.subscription.endpoint, {
        method: 'POST',
        headers: {
          TTL: String(ttl(alert)),
          Urgency: urgency(alert),
          Topic: topic(alert),
          'Content-Type': 'application/octet-stream',
          'Content-Encoding': 'aes128gcm',
          Authorization: await deps.authorization(d.subscription.endpoint),
        },
        body,
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      // Read to the end (small): the kept-alive connection then serves the next push.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'done';
      if (res.status === 404 || res.status === 410) return 'gone';
      if (res.status === 429 || res.status >= 500) return 'retry';
      o.log(`push to subscription ${d.id} refused with ${res.status}; dropped`);
      return 'done';
    } catch (err) {
      if (err instanceof Error && err.name === 'OutboundRefused') {
        o.log(`push to subscription ${d.id} refused by the outbound policy: ${err.message}; dropped`);
        return 'done';
      }
      return 'retry';
    }
  };

  /** The batch's bodies, a chunk per thread task, encrypted while earlier pushes are being sent. */
  const bodies = (due: repo.DueDelivery[]) => {
    const chunks: Promise<(Uint8Array<ArrayBuffer> | Error)[]>[] = [];
    const payloads = new Map<unknown, string>();
    for (let i = 0; i < due.length; i += CHUNK) {
      const part = due.slice(i, i + CHUNK);
      // One payload per chunk: split where the alert changes (a batch may hold several jobs).
      const runs: repo.DueDelivery[][] = [];
      for (const d of part) {
        const last = runs[runs.length - 1];
        if (last && last[0]!.jobId === d.jobId) last.push(d);
        else runs.push([d]);
      }
      chunks.push(
        Promise.all(
          runs.map((run) => {
            const alert = run[0]!.alert as Alert;
            let payload = payloads.get(run[0]!.jobId);
            if (payload === undefined) payloads.set(run[0]!.jobId, (payload = JSON.stringify(pushMessage(alert))));
            return crypt.encrypt(
              payload,
              run.map((d) => d.subscription.keys),
            );
          }),
        ).then((r) => r.flat()),
      );
    }
    return async (i: number) => (await chunks[Math.floor(i / CHUNK)]!)[i % CHUNK]!;
  };

  const deliver = async () => {
    for (;;) {
      const due = await repo.leaseDeliveries(deps.db, BATCH, leaseMs);
      if (!due.length) return;
      const body = bodies(due);
      const outcome = new Array<'done' | 'gone' | 'retry'>(due.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(o.concurrency, due.length) }, async () => {
          for (let i = next++; i < due.length; i = next++) outcome[i] = await push(due[i]!, await body(i));
        }),
      );
      // Three statements per batch whatever the outcomes: done (taken, or given up), gone, retried.
      const retry = due.filter((d, i) => outcome[i] === 'retry' && d.attempts + 1 < o.maxAttempts);
      await repo.deliveriesDone(
        deps.db,
        due.filter((d, i) => outcome[i] === 'done' || (outcome[i] === 'retry' && d.attempts + 1 >= o.maxAttempts)),
      );
      await repo.deleteSubscriptionsById(
        deps.db,
        due.filter((_, i) => outcome[i] === 'gone').map((d) => d.id),
      );
      await repo.deliveriesRetry(deps.db, retry, (attempts) => Math.min(o.maxBackoffMs, o.backoffMs * 2 ** attempts));
    }
  };

  const round = async () => {
    do {
      again = false;
      await expand();
      await deliver();
    } while (again);
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((err: unknown) => o.log(`push worker: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (running = undefined));
    return running;
  };

  const tick = () => {
    if (!started) return;
    void run().finally(() => {
      if (started) timer = setTimeout(tick, o.pollMs);
    });
  };

  return {
    start() {
      if (started) return;
      started = true;
      tick();
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      await running;
      await crypt.close();
    },
    /** After a commit that queued a job: runs a round now when started. */
    wake() {
      if (started) void run();
    },
    /** One round now, started or not (tests, the bench). */
    runOnce: run,
  };
}

export type PushWorker = ReturnType<typeof pushWorker>;
