/* global document, window, navigator, FormData, location, DOMParser */
// 写真投稿's form (/my/disaster/reports/new, src/modules/disaster/reports-my.tsx). Without this script
// the form posts as it is. With it: 「現在地を使う」 fills the point from the browser's geolocation, and
// a post made while offline (or whose send fails on the network) waits in IndexedDB and is sent when
// the network returns — with the form's clientId, so a post sent twice is still one report.
import { openDB } from '/assets/idb.mjs';

const form = document.getElementById('report-form');
const status = document.getElementById('report-queue');
const db = openDB('disaster-reports', 1, { upgrade: (d) => d.createObjectStore('queue', { keyPath: 'clientId' }) });

/** The message, then how many posts still wait on this device. */
async function say(message) {
  const n = await (await db).count('queue');
  status.textContent = [message, n ? `未送信の投稿が${n}件あります。` : ''].filter(Boolean).join(' ');
}

/**
 * Sends one post: 'sent' when the server took it, 'refused' (with its message) when it never will, or
 * 'later' when the network failed, the session has ended (sign in again, then it is sent) or the server
 * failed. The page's own CSRF token is used: after a new sign-in the queued one is stale.
 */
async function send(item) {
  const body = new FormData();
  const csrf = form.elements.csrf?.value;
  for (const [k, v] of item.fields) body.append(k, k === 'csrf' && csrf ? csrf : v);
  body.append('photo', item.photo, item.photoName);
  let res;
  try {
    res = await fetch(item.action, { method: 'POST', body, credentials: 'same-origin' });
  } catch {
    return { outcome: 'later' };
  }
  if (res.status >= 500 || (res.redirected && new URL(res.url).pathname.startsWith('/my/sign-in'))) return { outcome: 'later', res };
  await (await db).delete('queue', item.clientId);
  if (res.ok) return { outcome: 'sent', res };
  const html = new DOMParser().parseFromString(await res.clone().text(), 'text/html');
  return { outcome: 'refused', res, message: html.querySelector('[role=alert]')?.textContent?.trim() ?? '' };
}

async function flush() {
  const items = await (await db).getAll('queue');
  const said = [];
  let sent = 0;
  for (const item of items) {
    const r = await send(item);
    if (r.outcome === 'later') break;
    if (r.outcome === 'sent') sent++;
    else said.push(`送信できなかった投稿があります: ${r.message}`);
  }
  await say([sent ? `保存していた投稿を${sent}件送信しました。` : '', ...said].filter(Boolean).join(' '));
}

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
    const r = navigator.onLine ? await send(item) : { outcome: 'later' };
    if (r.res && r.outcome !== 'later') {
      // The server's answer: the list after a redirect, or the form again with its message.
      if (r.res.redirected) location.assign(r.res.url);
      else {
        document.open();
        document.write(await r.res.text());
        document.close();
      }
      return;
    }
    await (await db).put('queue', item);
    await say(
      '送信できなかったため（オフラインなど）、この端末に保存しました。インターネットにつながると自動で送信します（サインインが切れていたら、サインインし直してください）。',
    );
  });
  window.addEventListener('online', flush);
  if (navigator.onLine) flush();
  else say('');
}
