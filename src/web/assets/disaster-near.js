/* global document, window, navigator */
// 「現在地から探す」 on /disaster/near: asks the browser for its location and opens the same page with
// ?near=lon,lat (the server lists the nearest shelters). Without this script the typed forms remain.
const box = document.querySelector('[data-locate]');
if (box && 'geolocation' in navigator) {
  box.hidden = false;
  const status = box.querySelector('.locate-status');
  box.querySelector('button').addEventListener('click', () => {
    status.textContent = '現在地を確認しています…';
    navigator.geolocation.getCurrentPosition(
      (p) => {
        const near = `${p.coords.longitude.toFixed(5)},${p.coords.latitude.toFixed(5)}`;
        // Written out, not through URLSearchParams: the comma stays readable in the address.
        const hazard = new URL(window.location.href).searchParams.get('hazard');
        window.location.assign(`/disaster/near?near=${near}${hazard ? `&hazard=${encodeURIComponent(hazard)}` : ''}`);
      },
      () => (status.textContent = '現在地を取得できませんでした。郵便番号か町名で探してください。'),
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  });
}
