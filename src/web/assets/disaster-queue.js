/* global document, window, navigator, DOMParser, location */
// The offline queue that disaster forms share (写真投稿 disaster-reports.js, 避難所の受付
// disaster-reception.js): a post that cannot be sent (offline, network failure, an ended session, a
// server failure) waits in IndexedDB under its form's clientId and is sent again later; the server
// takes a clientId once, so a post sent twice is still one. `noun` names a post in the messages.
import { openDB } from '/assets/idb.mjs';

/**
 * store: the IndexedDB database name; status: the element that says what waits; body(item): the
 * request body to send; later(res): whether an answer means "try again later" (e.g. a sign-in page).
 */
export function offlineQueue({ store, noun, status, body, later }) {
  const db = openDB(store, 1, { upgrade: (d) => d.createObjectStore('queue', { keyPath: 'clientId' }) });

  /** The message, then how many posts still wait on this device. */
  async function say(message) {
    const n = await (await db).count('queue');
    status.textContent = [message, n ? `未送信の${noun}が${n}件あります。` : ''].filter(Boolean).join(' ');
  }

  /** 'sent', 'refused' (with the page's message: it never will be taken) or 'later'. */
  async function send(item) {
    let res;
    try {
      res = await fetch(item.action, { method: 'POST', body: body(item), credentials: 'same-origin' });
    } catch {
      return { outcome: 'later' };
    }
    if (res.status >= 500 || later(res, item)) return { outcome: 'later', res };
    await (await db).delete('queue', item.clientId);
    if (res.ok) return { outcome: 'sent', res };
    const html = new DOMParser().parseFromString(await res.clone().text(), 'text/html');
    return { outcome: 'refused', res, message: html.querySelector('[role=alert]')?.textContent?.trim() ?? `（${res.status}）` };
  }

  async function flush() {
    const items = await (await db).getAll('queue');
    if (!items.length) return;
    const said = [];
    let sent = 0;
    for (const item of items) {
      const r = await send(item);
      if (r.outcome === 'later') break;
      if (r.outcome === 'sent') sent++;
      else said.push(`送信できなかった${noun}があります: ${r.message}`);
    }
    await say([sent ? `保存していた${noun}を${sent}件送信しました。` : '', ...said].filter(Boolean).join(' '));
  }

  /** Sends now when online and shows the server's answer; else keeps the item. True when it was kept. */
  async function submit(item) {
    const r = navigator.onLine ? await send(item) : { outcome: 'later' };
    if (r.res && r.outcome !== 'later') {
      // The server's answer: the page after a redirect, or the form again with its message.
      if (r.res.redirected) location.assign(r.res.url);
      else {
        document.open();
        document.write(await r.res.text());
        document.close();
      }
      return false;
    }
    await (await db).put('queue', item);
    return true;
  }

  window.addEventListener('online', flush);
  if (navigator.onLine) void flush();
  else void say('');
  return { say, submit };
}
