/* global window, document, location, FormData */
// マイページ's passkey ceremonies (/my/security, the sign-in page). Each [data-passkey] box holds a
// form: on submit, fetch the options, let the browser ask the authenticator, post the answer, and
// go where the server says. The server keeps the challenge; this script only carries it.
(function () {
  'use strict';
  var failed = 'パスキーの操作が完了しませんでした。もう一度お試しください。';

  async function post(url, fields) {
    var res = await fetch(url, { method: 'POST', body: fields, headers: { accept: 'application/json' } });
    var json = await res.json().catch(function () {
      return null;
    });
    if (!res.ok || !json) throw new Error((json && json.error && json.error.message) || failed);
    return json;
  }

  document.querySelectorAll('[data-passkey]').forEach(function (box) {
    var form = box.querySelector('form');
    var button = form.querySelector('button');
    var status = box.querySelector('[role="status"]');
    var lib = window.SimpleWebAuthnBrowser;
    if (!lib || !lib.browserSupportsWebAuthn()) {
      status.textContent = 'このブラウザはパスキーに対応していません。ほかの方法をお使いください。';
      return;
    }
    button.hidden = false;
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      button.disabled = true;
      status.textContent = '';
      try {
        var fields = new URLSearchParams(new FormData(form));
        var optionsJSON = await post(box.dataset.options, fields);
        var answer =
          box.dataset.passkey === 'register'
            ? await lib.startRegistration({ optionsJSON: optionsJSON })
            : await lib.startAuthentication({ optionsJSON: optionsJSON });
        fields.set('response', JSON.stringify(answer));
        var done = await post(box.dataset.verify, fields);
        location.assign(done.location);
      } catch (err) {
        // The browser's own errors (cancelled, timed out) are in English: say it in Japanese.
        status.textContent = err && err.name === 'Error' && /[ぁ-んァ-ヶ一-龠]/.test(err.message) ? err.message : failed;
        button.disabled = false;
      }
    });
  });
})();
