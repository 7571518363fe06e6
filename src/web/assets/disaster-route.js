/* global document, navigator */
// /disaster/route with JavaScript: a "現在地を使う" button that fills the start from the browser's
// location. The line is drawn on the map by disaster-map.js (data-route) and, for a page without
// JavaScript or WebGL, as the server's SVG sketch; the page and its steps work without either.
(() => {
  const form = document.querySelector('.route-form');
  const button = form && form.querySelector('.use-location');
  if (button && 'geolocation' in navigator) {
    button.hidden = false;
    button.addEventListener('click', () => {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (p) => {
          form.elements.from.value = `${p.coords.longitude.toFixed(6)},${p.coords.latitude.toFixed(6)}`;
          form.requestSubmit();
        },
        () => {
          button.disabled = false;
          button.textContent = '現在地を取得できませんでした';
        },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  }
})();
