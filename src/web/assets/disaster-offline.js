/* global window, document, navigator, caches, sessionStorage, MessageChannel */
// あおもり防災アプリ's pages: registers the service worker (installable app, offline pages), asks it once
// per visit to bring saved offline packs up to date, runs the 「この市町村を保存」 box ([data-save-pack],
// SavePack in disaster/save-pack.tsx) and lists the saved municipalities on the offline page.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.caches) return;
  var PACK = 'disaster-pack-';
  var packUrl = function (code) {
    return '/disaster/municipalities/' + code + '/pack';
  };

  navigator.serviceWorker.register('/disaster/sw.js', { scope: '/disaster' }).catch(function () {
    // not installable here (e.g. plain http on another host): the pages work as they are
  });

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) {
          resolve(e.data);
        };
        reg.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function saved(code) {
    return caches
      .open(PACK + code)
      .then(function (cache) {
        return cache.match(packUrl(code));
      })
      .then(function (res) {
        return res ? res.json() : null;
      });
  }

  var when = new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    hourCycle: 'h23',
  });
  function describe(pack) {
    var parts = {};
    when.formatToParts(new Date(pack.generated)).forEach(function (p) {
      parts[p.type] = p.value;
    });
    var mb = Math.max(0.1, Math.round(pack.size / 100000) / 10).toFixed(1);
    return '保存済み・' + mb + 'MB・' + parts.month + '月' + parts.day + '日' + parts.hour + '時更新';
  }

  if (navigator.onLine && !sessionStorage.getItem('disaster-refreshed')) {
    sessionStorage.setItem('disaster-refreshed', '1');
    ask({ type: 'refresh' });
  }

  document.querySelectorAll('[data-save-pack]').forEach(function (box) {
    var code = box.getAttribute('data-save-pack');
    var button = box.querySelector('button');
    var status = box.querySelector('[role="status"]');
    var show = function () {
      return saved(code).then(function (pack) {
        status.textContent = pack ? describe(pack) : 'この端末にはまだ保存されていません。';
      });
    };
    box.hidden = false;
    show();
    button.addEventListener('click', function () {
      button.disabled = true;
      status.textContent = '保存しています…';
      ask({ type: 'save', code: code })
        .then(function (result) {
          if (result && result.ok) return show();
          status.textContent = '保存できませんでした。電波の良い所でもう一度お試しください。';
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  });

  var section = document.querySelector('[data-saved-packs]');
  var list = section && section.querySelector('ul');
  if (list)
    caches.keys().then(function (names) {
      names
        .filter(function (n) {
          return n.indexOf(PACK) === 0;
        })
        .forEach(function (n) {
          saved(n.slice(PACK.length)).then(function (pack) {
            if (!pack) return;
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = '/disaster/municipalities/' + pack.municipality.code;
            a.textContent = pack.municipality.name;
            li.appendChild(a);
            li.appendChild(document.createTextNode('（' + describe(pack) + '）'));
            list.appendChild(li);
            section.hidden = false;
          });
        });
    });
})();
