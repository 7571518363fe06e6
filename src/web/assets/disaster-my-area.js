/* global window, document, navigator, localStorage, caches, Response, Notification */
// マイエリア (/disaster/my-area): the areas are kept on this device (localStorage, mirrored in the Cache
// API for the service worker), and registered with the push subscription. On every disaster page, once
// notifications are allowed, the subscription is checked and registered again (re-subscribe on open).
'use strict';
(() => {
  const KEY = 'renkei-my-areas';
  const AREAS_CACHE = 'renkei-my-area';
  const AREAS_URL = '/disaster/my-area/areas.json';
  const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  const load = () => {
    try {
      const a = JSON.parse(localStorage.getItem(KEY) ?? '[]');
      return Array.isArray(a) ? a : [];
    } catch {
      return [];
    }
  };
  const save = async (areas) => {
    localStorage.setItem(KEY, JSON.stringify(areas));
    if ('caches' in window)
      await (
        await caches.open(AREAS_CACHE)
      ).put(AREAS_URL, new Response(JSON.stringify(areas), { headers: { 'Content-Type': 'application/json' } }));
  };
  const send = (method, body) =>
    fetch('/api/v1/disaster/push-subscriptions', { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  async function subscription(create) {
    const reg = await navigator.serviceWorker.register('/disaster/sw.js', { scope: '/disaster/' });
    await navigator.serviceWorker.ready;
    const current = await reg.pushManager.getSubscription();
    if (current || !create) return current;
    const { publicKey } = await (await fetch('/api/v1/disaster/push/key')).json();
    return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
  }

  /** Registers the device's areas with its (new or existing) subscription; removes it when no area is left. */
  async function sync(create) {
    const areas = load();
    const sub = await subscription(create && areas.length > 0);
    if (!sub) return 'none';
    if (!areas.length) {
      await send('DELETE', { endpoint: sub.endpoint });
      await sub.unsubscribe();
      return 'removed';
    }
    const res = await send('POST', { subscription: sub.toJSON(), areas });
    if (!res.ok) throw new Error((await res.json()).detail ?? String(res.status));
    return 'registered';
  }

  const form = document.getElementById('my-area');
  if (!form) {
    if (supported && Notification.permission === 'granted' && load().length) void sync(true).catch(() => {});
    return;
  }
  const list = document.getElementById('my-area-list');
  const status = document.getElementById('my-area-status');
  const names = Object.fromEntries([...form.querySelectorAll('#my-area-municipality option')].map((o) => [o.value, o.textContent]));
  const say = (text) => (status.textContent = text);
  const label = (a) =>
    a.municipality
      ? (names[a.municipality] ?? a.municipality)
      : `現在地（半径${a.radius >= 1000 ? `${a.radius / 1000}km` : `${a.radius}m`}）`;

  function render() {
    list.replaceChildren(
      ...load().map((a, i) => {
        const li = document.createElement('li');
        li.textContent = `${label(a)} `;
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = '削除';
        b.setAttribute('aria-label', `${label(a)}を削除`);
        b.addEventListener('click', () => change(load().filter((_, j) => j !== i)));
        li.append(b);
        return li;
      }),
    );
    document.getElementById('my-area-empty').hidden = load().length > 0;
  }

  async function change(areas) {
    await save(areas);
    render();
    if (!supported || Notification.permission !== 'granted')
      return say('エリアをこの端末に保存しました。通知を受け取るには「通知を受け取る」を押してください。');
    try {
      const r = await sync(true);
      say(r === 'removed' ? 'エリアがなくなったため、通知を停止しました。' : 'エリアを保存し、通知の登録を更新しました。');
    } catch (e) {
      say(`登録できませんでした：${e.message}`);
    }
  }

  form.hidden = false;
  document.getElementById('my-area-nojs').hidden = true;
  render();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = form.querySelector('#my-area-municipality').value;
    if (code && load().length < 10) void change([...load().filter((a) => a.municipality !== code), { municipality: code }]);
  });
  document.getElementById('my-area-here').addEventListener('click', () => {
    const radius = Number(form.querySelector('#my-area-radius').value);
    say('現在地を取得しています…');
    navigator.geolocation.getCurrentPosition(
      (p) =>
        void change(
          [...load(), { point: [Math.round(p.coords.longitude * 1e5) / 1e5, Math.round(p.coords.latitude * 1e5) / 1e5], radius }].slice(
            0,
            10,
          ),
        ),
      () => say('現在地を取得できませんでした。市町村を選んでください。'),
    );
  });
  document.getElementById('my-area-subscribe').addEventListener('click', async () => {
    if (!supported) return say('この端末・ブラウザは通知に対応していません。');
    if ((await Notification.requestPermission()) !== 'granted')
      return say('通知が許可されませんでした。ブラウザの設定で許可してください。');
    try {
      const r = await sync(true);
      say(r === 'registered' ? '通知を受け取る設定にしました。' : '先にエリアを追加してください。');
    } catch (e) {
      say(`登録できませんでした：${e.message}`);
    }
  });
})();
