/* global window, document, navigator, Notification */
// マイエリア（防災）in マイページ (/my/disaster/areas): 「現在地を使う」 fills the point, and 「この端末で
// 通知を受け取る」 subscribes this browser (the disaster service worker, scope /disaster/) and posts the
// subscription with the session's CSRF token, linking the device to the account.
'use strict';
(() => {
  const here = document.getElementById('area-here-box');
  if (here && 'geolocation' in navigator) {
    here.hidden = false;
    document.getElementById('area-here').addEventListener('click', () =>
      navigator.geolocation.getCurrentPosition((p) => {
        document.getElementById('area-point').value =
          `${Math.round(p.coords.longitude * 1e5) / 1e5},${Math.round(p.coords.latitude * 1e5) / 1e5}`;
      }),
    );
  }
  const form = document.getElementById('device-form');
  if (!form || !('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window)) return;
  form.hidden = false;
  document.getElementById('device-nojs').hidden = true;
  const status = document.getElementById('device-status');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      if ((await Notification.requestPermission()) !== 'granted')
        return void (status.textContent = '通知が許可されませんでした。ブラウザの設定で許可してください。');
      const reg = await navigator.serviceWorker.register('/disaster/sw.js', { scope: '/disaster/' });
      await navigator.serviceWorker.ready;
      let sub = await reg.pushManager.getSubscription();
      if (!sub) {
        const { publicKey } = await (await fetch('/api/v1/disaster/push/key')).json();
        sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
      }
      form.elements.subscription.value = JSON.stringify(sub.toJSON());
      const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new window.FormData(form)) });
      if (!res.ok) throw new Error(String(res.status));
      window.location.assign('/my/disaster/areas?done=1');
    } catch (e) {
      status.textContent = `登録できませんでした：${e.message}`;
    }
  });
})();
