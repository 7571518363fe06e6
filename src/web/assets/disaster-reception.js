/* global document, window, navigator, FormData, createImageBitmap, crypto, requestAnimationFrame */
// 避難所の受付 (/staff/disaster/shelters/{slug}/reception, src/modules/disaster/checkin-staff.tsx).
// Without this script the forms post as they are. With it: the camera (getUserMedia) or a photo of
// the QR code (the file input) fills the card field through jsQR and sends it; a check-in made while
// the network is down (or whose send fails) waits in IndexedDB and is sent when the network returns,
// with the form's clientId, so a check-in sent twice is counted once.
import { offlineQueue } from '/assets/disaster-queue.js';

const reception = offlineQueue({
  store: 'disaster-reception',
  noun: '受付',
  status: document.getElementById('reception-queue'),
  body(item) {
    // The page's own CSRF token: after a new sign-in the queued one is stale.
    const body = new URLSearchParams(item.fields);
    const csrf = document.querySelector('input[name=csrf]')?.value;
    if (csrf) body.set('csrf', csrf);
    return body;
  },
  // A redirect away from the reception (to a sign-in): the session ended; sent after signing in again.
  later: (res, item) => res.redirected && !new URL(res.url).pathname.startsWith(new URL(item.action).pathname.replace(/\/[^/]+$/, '')),
});

async function submit(form) {
  const item = {
    clientId: form.elements.clientId.value,
    action: form.action,
    fields: [...new FormData(form).entries()],
    queuedAt: new Date().toISOString(),
  };
  if (!(await reception.submit(item))) return;
  // The next entry is another check-in: a new client id, an empty form.
  form.reset();
  form.elements.clientId.value = crypto.randomUUID();
  await reception.say('ネットワークにつながらないため、この端末に保存しました。つながると自動で送信します。');
}

for (const id of ['reception-card', 'reception-walk-in'])
  document.getElementById(id)?.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit(e.target);
  });

// Reading the QR code: jsQR on the pixels of a photo or of the camera's frames.
const cardForm = document.getElementById('reception-card');
const scanStatus = document.getElementById('reception-scan-status');
const jsQR = window.jsQR;

function decode(source, width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return jsQR(data, width, height)?.data;
}

function found(text) {
  cardForm.elements.card.value = text;
  scanStatus.textContent = 'QRコードを読み取りました。';
  void submit(cardForm);
}

async function fromFile(file) {
  try {
    const image = await createImageBitmap(file);
    // Large photos are scaled down: jsQR needs no more than about 1,000 px across.
    const k = Math.min(1, 1000 / Math.max(image.width, image.height));
    const text = decode(image, Math.round(image.width * k), Math.round(image.height * k));
    if (text) found(text);
    else scanStatus.textContent = 'QRコードが見つかりませんでした。もう一度撮るか、番号を入力してください。';
  } catch {
    scanStatus.textContent = '画像を読み込めませんでした。';
  }
}

async function camera() {
  const video = document.getElementById('reception-video');
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    scanStatus.textContent = 'QRコードをカメラに向けてください。';
    const tick = () => {
      if (video.readyState >= 2) {
        const text = decode(video, video.videoWidth, video.videoHeight);
        if (text) {
          stream.getTracks().forEach((t) => t.stop());
          video.hidden = true;
          found(text);
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    tick();
  } catch {
    scanStatus.textContent = 'カメラを使えません。写真から読み取るか、番号を入力してください。';
  }
}

if (cardForm && jsQR) {
  document.getElementById('reception-scan').hidden = false;
  const cam = document.getElementById('reception-camera');
  if (navigator.mediaDevices?.getUserMedia) cam.addEventListener('click', () => void camera());
  else cam.hidden = true;
  document.getElementById('reception-file').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    if (file) void fromFile(file);
  });
}
