/* global document, window, history, FormData */
// The disaster map (pages in src/modules/disaster): MapLibre GL JS in the #disaster-map box, drawn
// from the map data API the box names. The list beside it is the same data in the HTML; when this
// script, WebGL or the data fail, the box stays hidden and the list is the page. No glyphs (no font
// download): circles only, names in HTML popups.
const box = document.getElementById('disaster-map');
const colours = { open: '#1a7f37', closed: '#6b6b6b', emergency: '#00118f', evacuation: '#b0004e' };

async function start() {
  const maplibregl = await import('/assets/maplibre-gl.mjs');
  const basemap = box.dataset.basemap;
  const style = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f2f1ec' } }] };
  if (basemap) {
    if (/\.pmtiles$/.test(new URL(basemap).pathname)) {
      const { Protocol } = await import('/assets/pmtiles.mjs');
      maplibregl.addProtocol('pmtiles', new Protocol().tile);
      style.sources.basemap = { type: 'raster', url: `pmtiles://${basemap}`, tileSize: 256 };
    } else style.sources.basemap = { type: 'raster', tiles: [basemap], tileSize: 256 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  box.hidden = false;
  const map = new maplibregl.Map({ container: box, style, center: [140.9, 40.8], zoom: 7, attributionControl: false });
  // The map, for the page's other scripts (the route, the staff area drawing) and for tests: box.map.getSource(…).
  box.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  await new Promise((resolve, reject) => {
    map.once('load', resolve);
    map.once('error', (e) => reject(e.error ?? e));
  });

  const boundaries = await (await fetch(box.dataset.boundaries)).json();
  map.addSource('boundaries', { type: 'geojson', data: boundaries });
  map.addLayer({ id: 'boundary-fill', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.6 } });
  map.addLayer({ id: 'boundary-line', type: 'line', source: 'boundaries', paint: { 'line-color': '#555555', 'line-width': 1 } });
  const bounds = new maplibregl.LngLatBounds();
  const extend = (c) => (typeof c[0] === 'number' ? bounds.extend(c) : c.forEach(extend));
  boundaries.features.forEach((f) => extend(f.geometry.coordinates));
  if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 16, animate: false });

  await drawLayers(map);
  if (map.getLayer('reports-point')) reportPopups(map, maplibregl);

  // Clustered at low zoom by MapLibre's GeoJSON source (supercluster).
  map.addSource('shelters', { type: 'geojson', data: box.dataset.shelters, cluster: true, clusterMaxZoom: 12, clusterRadius: 40 });
  map.addLayer({
    id: 'shelter-clusters',
    type: 'circle',
    source: 'shelters',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#00118f',
      'circle-opacity': 0.75,
      'circle-radius': ['step', ['get', 'point_count'], 12, 20, 16, 100, 22],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'shelters',
    type: 'circle',
    source: 'shelters',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': [
        'match',
        ['get', 'status'],
        'open',
        colours.open,
        'closed',
        colours.closed,
        ['match', ['get', 'kind'], 'emergency', colours.emergency, colours.evacuation],
      ],
      'circle-radius': 7,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  map.on('click', 'shelter-clusters', async (e) => {
    const f = e.features[0];
    const zoom = await map.getSource('shelters').getClusterExpansionZoom(f.properties.cluster_id);
    map.easeTo({ center: f.geometry.coordinates, zoom });
  });
  map.on('click', 'shelters', (e) => {
    const p = e.features[0].properties;
    const link = document.createElement('a');
    link.href = `/disaster/shelters/${p.slug}`;
    link.textContent = p.name;
    new maplibregl.Popup({ closeButton: true }).setLngLat(e.features[0].geometry.coordinates).setDOMContent(link).addTo(map);
  });
  for (const id of ['shelters', 'shelter-clusters']) {
    map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
  }
  if (box.dataset.route) await drawRoute(map, maplibregl);
  followFilter(map);
  box.dataset.state = 'ready';
}

// The route page (data-route: the route API's URL): the line over the shelters, its start and the
// shelter, the map fitted to it. A straight line (no road network) is dashed, as in the steps' note.
async function drawRoute(map, maplibregl) {
  const res = await fetch(box.dataset.route);
  if (!res.ok) throw new Error(`route ${res.status}`);
  const answer = await res.json();
  const line = answer.line.geometry.coordinates;
  const point = (c, end) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: { end } });
  map.addSource('route', {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [answer.line, point(line[0], 'start'), point(line[line.length - 1], 'shelter')] },
  });
  map.addLayer({
    id: 'route-line',
    type: 'line',
    source: 'route',
    filter: ['==', ['geometry-type'], 'LineString'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': answer.mode === 'network' ? '#00118f' : '#b00020',
      'line-width': 5,
      ...(answer.mode === 'network' ? {} : { 'line-dasharray': [2, 1.5] }),
    },
  });
  map.addLayer({
    id: 'route-ends',
    type: 'circle',
    source: 'route',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-color': ['match', ['get', 'end'], 'start', '#333333', '#1a7f37'],
      'circle-radius': 9,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 3,
    },
  });
  const bounds = new maplibregl.LngLatBounds();
  line.forEach((c) => bounds.extend(c));
  map.fitBounds(bounds, { padding: 40, maxZoom: 17, animate: false });
}

// The municipality's own layers (medical, AED, hazard areas, high ground, roads), when it loaded any.
async function drawLayers(map) {
  const urls = (box.dataset.layers ?? '').split(' ').filter(Boolean);
  const answers = await Promise.all(
    urls.map((u) =>
      fetch(u).then(
        (r) => (r.ok ? r.json() : null),
        () => null,
      ),
    ),
  );
  const paints = {
    medical: '#d4380d',
    aed: '#c41d7f',
    'hazard-areas': '#1677ff',
    'high-ground': '#389e0d',
    roads: '#8c8c8c',
    reports: '#ad4e00',
  };
  // Disaster information (/api/v1/disaster/information/{category}); the same colours as the page's legend (information.ts).
  Object.assign(paints, {
    flooding: '#0958d9',
    'seismic-intensity': '#722ed1',
    fire: '#cf1322',
    'road-closure': '#d46b08',
    transit: '#08979c',
    outage: '#595959',
  });
  answers.forEach((geojson, i) => {
    if (!geojson?.features?.length) return;
    const name = new URL(urls[i], window.location.href).pathname.split('/').pop();
    const colour = paints[name] ?? '#595959';
    box.dataset.layersDrawn = `${box.dataset.layersDrawn ?? ''} ${name}`.trim(); // which layers had data (tests read it)
    map.addSource(name, { type: 'geojson', data: geojson });
    const is = (t) => ['in', ['geometry-type'], ['literal', [t, `Multi${t}`]]];
    map.addLayer({
      id: `${name}-fill`,
      type: 'fill',
      source: name,
      filter: is('Polygon'),
      paint: { 'fill-color': colour, 'fill-opacity': 0.25 },
    });
    map.addLayer({
      id: `${name}-line`,
      type: 'line',
      source: name,
      filter: is('LineString'),
      paint: { 'line-color': colour, 'line-width': 2 },
    });
    map.addLayer({
      id: `${name}-point`,
      type: 'circle',
      source: name,
      filter: is('Point'),
      paint: { 'circle-color': colour, 'circle-radius': 5 },
    });
  });
}

// 写真投稿 (approved reports): a tap shows the photo and its category, linking to the list.
function reportPopups(map, maplibregl) {
  map.on('click', 'reports-point', (e) => {
    const f = e.features[0];
    const p = f.properties;
    const link = document.createElement('a');
    link.href = `/disaster/municipalities/${p.municipality}/reports`;
    const img = document.createElement('img');
    img.src = p.image;
    img.alt = `${p.categoryLabel}の写真${p.note ? `: ${p.note}` : ''}`;
    img.width = 200;
    img.style.height = 'auto';
    link.append(img, document.createElement('br'), p.categoryLabel);
    new maplibregl.Popup({ closeButton: true }).setLngLat(f.geometry.coordinates).setDOMContent(link).addTo(map);
  });
  map.on('mouseenter', 'reports-point', () => (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', 'reports-point', () => (map.getCanvas().style.cursor = ''));
}

// The filter form changes the map's data and the list in place; submitting it still reloads the page.
function followFilter(map) {
  const form = document.querySelector('form[data-filter]');
  if (!form) return;
  form.addEventListener('change', () => {
    const chosen = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) chosen.set(k, v);
    const api = new URL(box.dataset.shelters, window.location.href);
    for (const k of ['hazard', 'kind']) {
      if (chosen.has(k)) api.searchParams.set(k, chosen.get(k));
      else api.searchParams.delete(k);
    }
    map.getSource('shelters').setData(api.pathname + api.search);
    let shown = 0;
    for (const li of document.querySelectorAll('.shelter-list > li')) {
      const fits =
        (!chosen.has('hazard') || li.dataset.hazards.split(' ').includes(chosen.get('hazard'))) &&
        (!chosen.has('kind') || li.dataset.kind === chosen.get('kind'));
      li.hidden = !fits;
      if (fits) shown++;
    }
    const count = document.querySelector('.shelter-count');
    if (count) count.textContent = `${shown}か所`;
    history.replaceState(null, '', `${window.location.pathname}${chosen.size ? `?${chosen}` : ''}`);
  });
}

if (box) {
  start().catch((err) => {
    box.hidden = true;
    box.dataset.state = 'failed';
    // Why, for the tests and for staff reporting a problem (the list stays the page).
    box.dataset.error = String(err?.message ?? err).slice(0, 200);
  });
}
