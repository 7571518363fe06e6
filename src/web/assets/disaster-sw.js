/* global self, caches, Response, importScripts */
// あおもり防災アプリ's service worker, served at /disaster/sw.js with scope /disaster (docs/disaster.md).
// Online, every page comes from the network; when the network fails (or hangs past a few seconds),
// from what the device saved: the app shell (installed with the worker) and each saved municipality's
// offline pack with its pages (one cache per municipality, filled on 「この市町村を保存」). A page
// never saved gets the Japanese offline page.
'use strict';

// Web Push (the push helper's file): without it the app still installs and works offline.
try {
  importScripts('/assets/disaster-push-sw.js');
} catch {
  // absent or broken: no push on this device
}

var SHELL = 'disaster-shell-1';
var PACK = 'disaster-pack-';
var OFFLINE_PAGE = '/disaster/offline';
var SHELL_URLS = [
  OFFLINE_PAGE,
  '/assets/tokens.css',
  '/assets/app.css',
  '/assets/favicon.svg',
  '/assets/disaster-offline.js',
  '/assets/disaster-icon.svg',
  '/disaster/manifest.webmanifest',
];
var LAYERS = ['medical', 'aed', 'hazard-areas', 'high-ground', 'roads'];
// The map's files no page names: disaster-map.js imports MapLibre, which starts its worker beside it
// (with ?v=… appended, so /assets/ are matched without their query). Saved with every pack.
var MAP_ASSETS = ['/assets/maplibre-gl.mjs', '/assets/maplibre-gl-worker.mjs'];
var HANG_MS = 5000;

var packUrl = function (code) {
  return '/disaster/municipalities/' + code + '/pack';
};

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches
      .open(SHELL)
      .then(function (cache) {
        return cache.addAll(SHELL_URLS);
      })
      .then(function () {
        return self.skipWaiting();
      }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (n) {
              return n.indexOf('disaster-shell-') === 0 && n !== SHELL;
            })
            .map(function (n) {
              return caches.delete(n);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

/** The network, unless it fails or hangs while a saved copy exists: then the saved copy. */
function networkThenSaved(request) {
  var asset = new URL(request.url).pathname.indexOf('/assets/') === 0;
  var saved = caches.match(request, asset ? { ignoreSearch: true } : undefined);
  var network = fetch(request);
  var hung = new Promise(function (resolve) {
    setTimeout(function () {
      saved.then(function (copy) {
        if (copy) resolve(copy);
      });
    }, HANG_MS);
  });
  var fallback = function () {
    return saved.then(function (copy) {
      if (copy) return copy;
      if (request.mode === 'navigate') return caches.match(OFFLINE_PAGE);
      return Response.error();
    });
  };
  return Promise.race([network.catch(fallback), hung]);
}

self.addEventListener('fetch', function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(networkThenSaved(event.request));
});

/** Fetches every URL (six at a time); a required one that fails fails the save, an optional one is left out. */
function fetchAll(urls, required) {
  var out = [];
  var next = 0;
  var worker = function () {
    if (next >= urls.length) return Promise.resolve();
    var url = urls[next++];
    return fetch(url, { cache: 'no-cache' }).then(function (res) {
      if (res.ok) out.push([url, res]);
      else if (required) throw new Error(url + ': ' + res.status);
      return worker();
    });
  };
  var workers = [];
  for (var i = 0; i < 6; i++) workers.push(worker());
  return Promise.all(workers).then(function () {
    return out;
  });
}

/** The pack's pages: the municipality page (its list and map), the shelters' pages, the map data, and the assets the page loads. */
function savePack(code, packResponse) {
  var page = '/disaster/municipalities/' + code;
  var pack;
  return packResponse
    .clone()
    .json()
    .then(function (json) {
      pack = json;
      var pages = ['/disaster', page].concat(
        pack.shelters.map(function (s) {
          return '/disaster/shelters/' + s.slug;
        }),
      );
      var data = ['/api/v1/disaster/shelters?municipality=' + code, '/api/v1/disaster/boundaries?municipality=' + code].concat(
        LAYERS.map(function (l) {
          return '/api/v1/disaster/layers/' + l + '?municipality=' + code;
        }),
      );
      return Promise.all([fetchAll(pages, true), fetchAll(data, false)]);
    })
    .then(function (got) {
      var pages = got[0];
      var home = pages.find(function (p) {
        return p[0] === page;
      })[1];
      return home
        .clone()
        .text()
        .then(function (html) {
          var assets = MAP_ASSETS.slice();
          var re = /(?:src|href)="(\/assets\/[^"?#]+)"/g;
          for (var m = re.exec(html); m; m = re.exec(html)) if (assets.indexOf(m[1]) < 0) assets.push(m[1]);
          return fetchAll(assets, false);
        })
        .then(function (assets) {
          return pages.concat(got[1], assets);
        });
    })
    .then(function (all) {
      // Everything fetched first, then written: a download that fails (signal lost) leaves the previous copy whole.
      return caches.delete(PACK + code).then(function () {
        return caches.open(PACK + code).then(function (cache) {
          return Promise.all(
            all
              .map(function (e) {
                return cache.put(e[0], e[1]);
              })
              .concat([cache.put(packUrl(code), packResponse)]),
          );
        });
      });
    })
    .then(function () {
      return { ok: true, code: code, size: pack.size, generated: pack.generated, version: pack.version };
    });
}

function save(code) {
  if (!/^\d{5}$/.test(code)) return Promise.reject(new Error('bad code'));
  return fetch(packUrl(code), { cache: 'no-cache' }).then(function (res) {
    if (!res.ok) throw new Error('pack ' + res.status);
    return savePack(code, res);
  });
}

/** On app open: each saved pack whose version (ETag) moved is saved again, with its pages. */
function refresh() {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (n) {
          return n.indexOf(PACK) === 0;
        })
        .map(function (n) {
          var code = n.slice(PACK.length);
          return caches
            .open(n)
            .then(function (cache) {
              return cache.match(packUrl(code));
            })
            .then(function (saved) {
              var etag = saved && saved.headers.get('etag');
              return fetch(packUrl(code), { cache: 'no-store', headers: etag ? { 'if-none-match': etag } : {} });
            })
            .then(function (res) {
              return res.status === 200 ? savePack(code, res) : null;
            })
            .catch(function () {
              return null; // offline, or the server away: keep what is saved
            });
        }),
    );
  });
}

self.addEventListener('message', function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var done =
    data.type === 'save'
      ? save(String(data.code)).catch(function (e) {
          return { ok: false, error: String(e && e.message) };
        })
      : data.type === 'refresh'
        ? refresh()
        : Promise.resolve();
  event.waitUntil(
    done.then(function (result) {
      if (port) port.postMessage(result || { ok: true });
    }),
  );
});
