// The broker as the notification tests use it: an empty database, a notifier with fast timings, and a
// receiver on 127.0.0.1 that the outbound policy lets the notifier reach.
import type { BrokerOptions } from '../src/modules/broker/index.ts';
import type { Outbound } from '../src/platform/outbound.ts';
import { createTestApp } from './db.ts';
import { loopbackOutbound, shelterContexts } from './ngsi-ld.ts';
import { receiver } from './receiver.ts';

export const notifyingOptions = (outbound: Outbound = loopbackOutbound): BrokerOptions => ({
  auth: false,
  contexts: shelterContexts,
  notifier: { pollMs: 50, backoffMs: 20, maxBackoffMs: 200 },
  outbound,
});

/** The app with its notifier started and a receiver listening; `close` (in afterAll) stops all three. */
export async function notifyingBroker(outbound: Outbound = loopbackOutbound) {
  const t = await createTestApp('empty', 'http://127.0.0.1:9', { broker: notifyingOptions(outbound), outbound });
  const rx = await receiver();
  t.broker.commands.startNotifier();
  const close = async () => {
    await t.broker.commands.stopNotifier();
    await rx.close();
    await t.close();
  };
  return { t, rx, close };
}
