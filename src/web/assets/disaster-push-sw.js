/* global self, caches */
// Web Push in the disaster app's service worker (imported by /disaster/sw.js with importScripts).
// Every push shows a notification: a push that shows nothing may get the subscription dropped (iOS).
'use strict';
const AREAS_CACHE = 'renkei-my-area';
const AREAS_URL = '/disaster/my-area/areas.json';

self.addEventListener('push', (event) => {
  let m;
  try {
    m = event.data ? event.data.json() : {};
  } catch {
    m = {};
  }
  event.waitUntil(
    self.registration.showNotification(typeof m.title === 'string' && m.title ? m.title : 'あおもり防災アプリ', {
      body: typeof m.body === 'string' ? m.body : '新しい防災情報があります。',
      tag: typeof m.tag === 'string' ? m.tag : undefined,
      data: { url: typeof m.url === 'string' ? m.url : '/disaster/alerts' },
      lang: 'ja',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  // Only this site's pages: a URL from a push is not trusted to leave it.
  const url = new URL(event.notification.data?.url ?? '/disaster/alerts', self.location.origin);
  const target = url.origin === self.location.origin ? url.href : new URL('/disaster/alerts', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      const open = list.find((c) => c.url === target);
      return open ? open.focus() : self.clients.openWindow(target);
    }),
  );
});

// The push service replaced or expired the subscription (Push API, pushsubscriptionchange): subscribe
// again, then move the registration to the new endpoint (its areas and its link to the account stay);
// with no old subscription known, or one the server does not have, register the device's own areas again.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const saved = await (await caches.open(AREAS_CACHE)).match(AREAS_URL);
      const areas = saved ? await saved.json() : [];
      const { publicKey } = await (await fetch('/api/v1/disaster/push/key')).json();
      const subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
      const headers = { 'Content-Type': 'application/json' };
      if (event.oldSubscription) {
        const moved = await fetch('/api/v1/disaster/push-subscriptions/renewal', {
          method: 'POST',
          headers,
          body: JSON.stringify({ oldEndpoint: event.oldSubscription.endpoint, subscription: subscription.toJSON() }),
        });
        if (moved.ok) return;
      }
      if (!areas.length) return;
      await fetch('/api/v1/disaster/push-subscriptions', {
        method: 'POST',
        headers,
        body: JSON.stringify({ subscription: subscription.toJSON(), areas }),
      });
    })(),
  );
});
