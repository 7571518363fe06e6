// マイエリア (/disaster/my-area): the areas live on the device (no account needed); the page's script
// (assets/disaster-my-area.js) keeps them and registers them with the browser's push subscription.
// Without JavaScript the page says what it needs: push cannot work without it.
import { Hono } from 'hono';
import { disasterPage } from '../page.tsx';
import type { MapDataSource } from '../shelters.ts';

const radii = [500, 1000, 2000, 5000];

export function myAreaRoutes(map: MapDataSource['get']) {
  const app = new Hono();
  app.get('/disaster/my-area', async (c) => {
    const data = await map();
    return disasterPage(
      c,
      'マイエリア',
      <>
        <h1>マイエリア</h1>
        <p>登録したエリアに避難情報・警報が出ると、この端末に通知が届きます。エリアはこの端末に保存され、アカウントは不要です。</p>
        <p id="my-area-nojs">通知を受け取るには、JavaScript を有効にしてください。</p>
        <form id="my-area" hidden>
          <h2>登録したエリア</h2>
          <p id="my-area-empty">まだエリアがありません。</p>
          <ul id="my-area-list"></ul>
          <h2>エリアを追加</h2>
          <p>
            <label for="my-area-municipality">市町村</label>
            <select id="my-area-municipality">
              {[...data.municipalities.values()].map((m) => (
                <option value={m.code}>{m.name}</option>
              ))}
            </select>
            <button type="submit">市町村を追加</button>
          </p>
          <p>
            <label for="my-area-radius">現在地からの半径</label>
            <select id="my-area-radius">
              {radii.map((r) => (
                <option value={String(r)}>{r >= 1000 ? `${r / 1000}km` : `${r}m`}</option>
              ))}
            </select>
            <button type="button" id="my-area-here">
              現在地を追加
            </button>
          </p>
          <h2>通知</h2>
          <p>
            <button type="button" id="my-area-subscribe">
              通知を受け取る
            </button>
          </p>
          <p id="my-area-status" role="status" aria-live="polite"></p>
        </form>
      </>,
    );
  });
  return app;
}
