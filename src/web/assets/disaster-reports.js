/* global document, navigator, FormData */
// 写真投稿's form (/my/disaster/reports/new, src/modules/disaster/reports-my.tsx). Without this script
// the form posts as it is. With it: 「現在地を使う」 fills the point from the browser's geolocation, and
// a post made while offline (or whose send fails on the network) waits in IndexedDB and is sent when
// the network returns — with the form's clientId, so a post sent twice is still one report.
import { offlineQueue } from '/assets/disaster-queue.js';

const form = document.getElementById('report-form');
const queue =
  form &&
  offlineQueue({
    store: 'disaster-reports',
    noun: '投稿',
    status: document.getElementById('report-queue'),
    body(item) {
      // The page's own CSRF token: after a new sign-in the queued one is stale.
      const body = new FormData();
      const csrf = form.elements.csrf?.value;
      for (const [k, v] of item.fields) body.append(k, k === 'csrf' && csrf ? csrf : v);
      body.append('photo', item.photo, item.photoName);
      return body;
    },
    // The session has ended: sign in again, then it is sent.
    later: (res) => res.redirected && new URL(res.url).pathname.startsWith('/my/sign-in'),
  });

function geolocation() {
  const box = document.getElementById('report-here-box');
  const button = document.getElementById('report-here');
  const out = document.getElementById('report-here-status');
  if (!box || !('geolocation' in navigator)) return;
  box.hidden = false;
  button.addEventListener('click', () => {
    out.textContent = '現在地を確認しています…';
    navigator.geolocation.getCurrentPosition(
      (p) => {
        form.elements.point.value = `${p.coords.longitude.toFixed(6)},${p.coords.latitude.toFixed(6)}`;
        out.textContent = `現在地を使います（緯度 ${p.coords.latitude.toFixed(4)}、経度 ${p.coords.longitude.toFixed(4)}）。`;
      },
      () => (out.textContent = '現在地がわかりませんでした。市町村を選んでください。'),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
}

if (form) {
  geolocation();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const photo = data.get('photo');
    data.delete('photo');
    const item = {
      clientId: data.get('clientId'),
      action: form.action,
      fields: [...data.entries()],
      photo,
      photoName: photo && photo.name ? photo.name : 'photo',
      queuedAt: new Date().toISOString(),
    };
    if (!(await queue.submit(item))) return;
    await queue.say(
      '送信できなかったため（オフラインなど）、この端末に保存しました。インターネットにつながると自動で送信します（サインインが切れていたら、サインインし直してください）。',
    );
  });
}
