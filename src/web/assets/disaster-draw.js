/* global document */
// The staff alert form's drawn area (src/modules/disaster/alert-form.tsx): a MapLibre map of the
// municipalities the staff member issues for, where each click (tap) adds a vertex; 「1つ戻す」,
// 「範囲を閉じる」 and 「消す」. Closing writes the GeoJSON Polygon into the form's area field, which stays
// for pasting and for a browser without JavaScript or WebGL; an area already in the field (the
// preview, 改めて発令, a paste) is drawn on the map. The server checks the polygon as for a paste.
const wrap = document.querySelector('[data-area-draw]');
const field = wrap && wrap.closest('form')?.elements.namedItem('area');
const empty = { type: 'FeatureCollection', features: [] };
const round = (n) => Math.round(n * 1e6) / 1e6;

/** The polygon's outer ring in the field, without its closing point; null when the field holds none. */
function fromField() {
  try {
    const g = JSON.parse(field.value);
    const ring = (g.type === 'Feature' ? g.geometry : g).coordinates[0];
    if (Array.isArray(ring) && ring.length >= 4) return ring.slice(0, -1).map((p) => [p[0], p[1]]);
  } catch {
    // not (yet) a polygon: nothing to draw
  }
  return null;
}

async function start() {
  const maplibregl = await import('/assets/maplibre-gl.mjs');
  const box = wrap.querySelector('.area-map');
  wrap.hidden = false;
  const style = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f2f1ec' } }] };
  const map = new maplibregl.Map({ container: box, style, center: [140.9, 40.8], zoom: 7, attributionControl: false });
  box.map = map; // for tests, as on the public maps
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  await new Promise((resolve, reject) => {
    map.once('load', resolve);
    map.once('error', (e) => reject(e.error ?? e));
  });
  const boundaries = await (await fetch(wrap.dataset.boundaries)).json();
  map.addSource('boundaries', { type: 'geojson', data: boundaries });
  map.addLayer({ id: 'boundary-fill', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.6 } });
  map.addLayer({ id: 'boundary-line', type: 'line', source: 'boundaries', paint: { 'line-color': '#555555', 'line-width': 1 } });
  const fit = (coords) => {
    const bounds = new maplibregl.LngLatBounds();
    const extend = (c) => (typeof c[0] === 'number' ? bounds.extend(c) : c.forEach(extend));
    extend(coords);
    if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 24, animate: false });
  };
  fit(boundaries.features.map((f) => f.geometry.coordinates));

  map.addSource('area', { type: 'geojson', data: empty });
  const is = (t) => ['==', ['geometry-type'], t];
  map.addLayer({
    id: 'area-fill',
    type: 'fill',
    source: 'area',
    filter: is('Polygon'),
    paint: { 'fill-color': '#b00020', 'fill-opacity': 0.2 },
  });
  map.addLayer({
    id: 'area-line',
    type: 'line',
    source: 'area',
    filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': '#b00020', 'line-width': 3 },
  });
  map.addLayer({
    id: 'area-vertices',
    type: 'circle',
    source: 'area',
    filter: is('Point'),
    paint: { 'circle-color': '#b00020', 'circle-radius': 5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });

  const status = wrap.querySelector('.area-draw-status');
  const buttons = Object.fromEntries([...wrap.querySelectorAll('button[data-draw]')].map((b) => [b.dataset.draw, b]));
  let vertices = fromField() ?? [];
  let closed = vertices.length > 0;
  if (closed) fit(vertices);

  const render = () => {
    const features = vertices.map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: {} }));
    if (closed)
      features.unshift({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...vertices, vertices[0]]] }, properties: {} });
    else if (vertices.length >= 2)
      features.unshift({ type: 'Feature', geometry: { type: 'LineString', coordinates: vertices }, properties: {} });
    map.getSource('area').setData({ type: 'FeatureCollection', features });
    status.textContent = closed
      ? `範囲を確定しました（頂点${vertices.length}個）。入力欄に入りました。`
      : vertices.length
        ? `頂点${vertices.length}個。${vertices.length >= 3 ? '「範囲を閉じる」で確定します。' : '3個以上置いてください。'}`
        : '';
    buttons.undo.disabled = vertices.length === 0;
    buttons.close.disabled = closed || vertices.length < 3;
    buttons.clear.disabled = vertices.length === 0;
  };
  const write = () => {
    field.value = closed ? JSON.stringify({ type: 'Polygon', coordinates: [[...vertices, vertices[0]]] }) : '';
  };

  map.on('click', (e) => {
    if (closed) return;
    vertices.push([round(e.lngLat.lng), round(e.lngLat.lat)]);
    render();
  });
  map.on('mousemove', () => (map.getCanvas().style.cursor = closed ? '' : 'crosshair'));
  buttons.undo.addEventListener('click', () => {
    // A closed area opens again (the field empties); an open one loses its last vertex.
    if (closed) closed = false;
    else vertices.pop();
    write();
    render();
  });
  buttons.close.addEventListener('click', () => {
    closed = vertices.length >= 3;
    write();
    render();
  });
  buttons.clear.addEventListener('click', () => {
    vertices = [];
    closed = false;
    write();
    render();
  });
  // A pasted polygon is drawn too.
  field.addEventListener('change', () => {
    const pasted = fromField();
    vertices = pasted ?? [];
    closed = pasted !== null;
    if (pasted) fit(pasted);
    render();
  });
  render();
  wrap.dataset.state = 'ready';
}

if (wrap && field) {
  start().catch(() => {
    wrap.hidden = true;
    wrap.dataset.state = 'failed';
  });
}
