/* global document, window, EventSource, DOMParser */
// 災害情報管理ダッシュボード (/staff/disaster, src/modules/disaster/staff-home.tsx) kept live: the
// server sends an `update` event over server-sent events whenever the data behind it changes; the page
// is fetched again and its dashboard part swapped in, and the status line says when. The browser
// reconnects by itself (Last-Event-ID) when the stream ends or the network drops.
const live = document.querySelector('[data-events]');
const board = document.getElementById('dashboard');

async function refresh() {
  const res = await fetch(window.location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
  if (!res.ok) return;
  const next = new DOMParser().parseFromString(await res.text(), 'text/html');
  const fresh = next.getElementById('dashboard');
  if (!fresh) return;
  board.replaceChildren(...fresh.childNodes);
  live.textContent = `${next.querySelector('[data-events]')?.textContent ?? ''}（自動で更新しました）`;
}

if (live && board && 'EventSource' in window) {
  let busy = Promise.resolve();
  const source = new EventSource(`${live.dataset.events}?since=${encodeURIComponent(live.dataset.version ?? '')}`);
  source.addEventListener('update', () => {
    busy = busy.then(refresh).catch(() => undefined);
  });
}
