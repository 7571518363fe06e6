// Delivers the notification queue (broker_notifications) to the subscriptions' endpoints, at least
// once and in order per subscription: a row leaves the queue only when its endpoint answered 2xx;
// until then it is retried with exponential backoff. The queue is in the database, so a restart or
// a receiver that is down for a while loses nothing.
import type { Db } from '../../platform/db.ts';
import { CORE_CONTEXT_URL } from './context.ts';
import * as subscriptionRepo from './repository-subscriptions.ts';

export interface NotifierOptions {
  /** How often the queue is checked when nothing wakes the worker (ms). */
  pollMs?: number;
  /** The first retry's delay; each failure doubles it up to maxBackoffMs (ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long an endpoint has to answer (ms). */
  timeoutMs?: number;
  /** A notification still undelivered this long after it was queued is dropped (ms). */
  maxAgeMs?: number;
  /** Where delivery problems are reported. */
  log?: (message: string) => void;
}

/** Notifications leased per round: at most one per subscription. */
const BATCH = 50;

export type Notifier = ReturnType<typeof notifier>;

/**
 * `send` is the outbound policy's fetch: a 3xx is not followed, so it fails like any other non-2xx answer.
 * `produce`, when given, runs before each round of deliveries and may queue notifications (the
 * periodic ones); it says whether it queued any.
 */
export function notifier(db: Db, send: typeof fetch, options: NotifierOptions = {}, produce?: () => Promise<boolean>) {
  const o = {
    pollMs: 1000,
    backoffMs: 500,
    maxBackoffMs: 60_000,
    timeoutMs: 5000,
    maxAgeMs: 24 * 3600_000,
    log: (m: string) => console.warn(m),
    ...options,
  };
  // A lease outlasts the longest delivery, so no other worker takes a notification being sent.
  const leaseMs = o.timeoutMs * 2 + 10_000;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let producedAt = 0;

  const post = async (n: subscriptionRepo.QueuedNotification) => {
    // receiverInfo (5.2.15): headers the receiver asked for; their names were checked when the subscription was written.
    const headers: Record<string, string> = Object.fromEntries((n.endpoint.receiverInfo ?? []).map(({ key, value }) => [key, value]));
    let body: unknown = n.payload;
    const context = n.context ?? CORE_CONTEXT_URL;
    // A Link header can only name a URL: an @context given inline travels in the body.
    if (n.endpoint.accept === 'application/ld+json' || typeof context !== 'string') {
      headers['Content-Type'] = 'application/ld+json';
      body = { '@context': context, ...n.payload };
    } else {
      headers['Content-Type'] = 'application/json';
      headers.Link = `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
    }
    const res = await send(n.endpoint.uri, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`the endpoint answered ${res.status}`);
  };

  const deliver = async (n: subscriptionRepo.QueuedNotification) => {
    try {
      await post(n);
    } catch (err) {
      const error = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
      const expired = Date.now() - n.createdMs > o.maxAgeMs;
      if (expired) o.log(`notification ${String(n.payload.id)} of ${n.subscriptionId} dropped after ${n.attempts + 1} attempts: ${error}`);
      await subscriptionRepo.notificationFailed(
        db,
        n,
        error,
        new Date().toISOString(),
        expired ? null : Math.min(o.backoffMs * 2 ** n.attempts, o.maxBackoffMs),
      );
      return;
    }
    await subscriptionRepo.notificationSent(db, n, new Date().toISOString());
  };

  /** Rounds of deliveries, one subscription's notifications one after another, until nothing is due. */
  const drain = async () => {
    while (started) {
      const due = await subscriptionRepo.leaseNotifications(db, BATCH, leaseMs);
      if (!due.length) return;
      await Promise.all(due.map(deliver));
    }
  };

  const wake = () => {
    if (!started) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        // About once per poll (timer jitter aside): the wake-ups after each write need not look for periodic ones.
        if (produce && Date.now() - producedAt >= o.pollMs / 2) {
          producedAt = Date.now();
          await produce().catch((err: unknown) => o.log(`notifier: periodic notifications: ${String(err)}`));
        }
        await drain().catch((err: unknown) => o.log(`notifier: ${String(err)}`));
      } while (again && started);
    })().finally(() => {
      running = undefined;
    });
  };

  return {
    /** Checks the queue now (the store calls this after a change that queued notifications commits). */
    wake,
    start() {
      if (started) return;
      started = true;
      timer = setInterval(wake, o.pollMs);
      wake();
    },
    /** Stops taking notifications and waits for those being sent. */
    async stop() {
      started = false;
      clearInterval(timer);
      await running;
    },
  };
}
