// The map on a page: an empty box the script (assets/disaster-map.js) fills with MapLibre GL JS, told
// where its data is by data- attributes. Hidden until the script starts a map, so a page without
// JavaScript or WebGL is just its lists; the list beside it is the same data, always in the HTML.
import { securityHeaders } from '../../platform/http.ts';
import { hazardLabels, hazardTypes, type HazardType } from './hazards.ts';
import type { ShelterKind } from './shelters.ts';
import { informationLayerUrls } from './information.ts';

export const kindLabels: Record<ShelterKind, string> = { emergency: '指定緊急避難場所', evacuation: '指定避難所' };

/** The layers other parts publish (/api/v1/disaster/layers/{layer}); drawn when a municipality has them. */
export const extraLayers = ['medical', 'aed', 'hazard-areas', 'high-ground', 'roads'] as const;

/**
 * Map pages run our own module scripts; MapLibre starts its worker from our file (a blob: URL when a
 * browser insists) and draws tiles from blob: URLs; a configured base map's origin is let in too.
 */
export function mapCsp(basemapUrl?: string) {
  const origin = basemapUrl ? ` ${new URL(basemapUrl).origin}` : '';
  return securityHeaders['content-security-policy']
    .replace("script-src 'none'", `script-src 'self'; worker-src 'self' blob:; connect-src 'self'${origin}`)
    .replace("img-src 'self' data:", `img-src 'self' data: blob:${origin}`);
}

export const mapHead = (
  <>
    <link rel="stylesheet" href="/assets/maplibre-gl.css" />
    <script type="module" src="/assets/disaster-map.js" />
  </>
);

export interface MapViewProps {
  /** The shelters' GeoJSON (the API URL, filters included). */
  shelters: string;
  /** The municipality whose boundary and layers to draw; none for the whole prefecture. */
  municipality?: string;
  basemapUrl?: string;
  label: string;
  /** The route page: the route API's URL, whose line, start and shelter are drawn over the rest. */
  route?: string;
}

export const MapView = (p: MapViewProps) => (
  <div
    id="disaster-map"
    class="disaster-map"
    role="region"
    aria-label={p.label}
    data-shelters={p.shelters}
    data-boundaries={`/api/v1/disaster/boundaries${p.municipality ? `?municipality=${p.municipality}` : ''}`}
    data-layers={
      p.municipality
        ? [
            ...extraLayers.map((l) => `/api/v1/disaster/layers/${l}?municipality=${p.municipality}`),
            ...informationLayerUrls(p.municipality),
            `/api/v1/disaster/reports?municipality=${p.municipality}`, // 写真投稿 (approved)
          ].join(' ')
        : undefined
    }
    data-basemap={p.basemapUrl}
    data-route={p.route}
    hidden
  />
);

/** The filter above a map and its list: a plain GET form, so it works without JavaScript too. */
export const FilterForm = (p: { action: string; hazard?: HazardType; kind?: ShelterKind; withKind?: boolean }) => (
  <form method="get" action={p.action} class="shelter-filter" data-filter>
    <label for="filter-hazard">災害の種別</label>
    <select id="filter-hazard" name="hazard">
      <option value="">すべて</option>
      {hazardTypes.map((h) => (
        <option value={h} selected={p.hazard === h}>
          {hazardLabels[h]}
        </option>
      ))}
    </select>
    {p.withKind && (
      <>
        <label for="filter-kind">施設の種類</label>
        <select id="filter-kind" name="kind">
          <option value="">すべて</option>
          {(['emergency', 'evacuation'] as const).map((k) => (
            <option value={k} selected={p.kind === k}>
              {kindLabels[k]}
            </option>
          ))}
        </select>
      </>
    )}
    <button type="submit" class="button">
      絞り込む
    </button>
  </form>
);
