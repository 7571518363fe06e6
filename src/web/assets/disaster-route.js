/* global document, navigator */
// /disaster/route with JavaScript: a "現在地を使う" button that fills the start from the browser's
// location, and the route's line drawn as an SVG sketch (start, path, shelter) under the steps. The
// page and its list work without it.
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
  const result = document.querySelector('.route-result');
  const box = document.getElementById('route-map');
  if (!result || !box) return;
  fetch(result.dataset.api)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((answer) => {
      const line = answer.line.geometry.coordinates;
      const xs = line.map((p) => p[0]);
      const ys = line.map((p) => p[1]);
      const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      // Longitude shrinks with latitude: scale x by cos(lat) so the sketch keeps its shape.
      const k = Math.cos(((minY + maxY) / 2) * (Math.PI / 180));
      const span = Math.max((maxX - minX) * k, maxY - minY) || 1e-6;
      const at = (p) => [10 + (((p[0] - minX) * k) / span) * 280, 10 + ((maxY - p[1]) / span) * 280];
      const ns = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', '0 0 300 300');
      svg.setAttribute('class', 'route-sketch');
      const path = document.createElementNS(ns, 'polyline');
      path.setAttribute('points', line.map((p) => at(p).join(',')).join(' '));
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', answer.mode === 'network' ? '#00118f' : '#b00020');
      path.setAttribute('stroke-width', '4');
      if (answer.mode !== 'network') path.setAttribute('stroke-dasharray', '8 6');
      svg.append(path);
      for (const [p, colour] of [
        [line[0], '#333'],
        [line[line.length - 1], '#1a7f37'],
      ]) {
        const dot = document.createElementNS(ns, 'circle');
        const [x, y] = at(p);
        dot.setAttribute('cx', String(x));
        dot.setAttribute('cy', String(y));
        dot.setAttribute('r', '7');
        dot.setAttribute('fill', colour);
        svg.append(dot);
      }
      box.append(svg);
    })
    .catch(() => {});
})();
