// Straight-line distances on the map (the near-me list, a shelter's distance): the haversine formula
// on a sphere of the Earth's mean radius, good to well under 1% at a prefecture's scale.
const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Metres between two [lon, lat] points. */
export function distanceM([lon1, lat1]: readonly [number, number], [lon2, lat2]: readonly [number, number]): number {
  const h = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "lon,lat" as typed in a URL, or undefined when it is not two finite numbers on the Earth. */
export function parsePoint(text: string | undefined): [number, number] | undefined {
  if (text === undefined || text.length > 64) return undefined;
  const m = /^(-?\d{1,3}(?:\.\d{1,12})?),(-?\d{1,2}(?:\.\d{1,12})?)$/.exec(text);
  if (!m) return undefined;
  const lon = Number(m[1]);
  const lat = Number(m[2]);
  return Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? [lon, lat] : undefined;
}

/** A distance as people read it: "850 m", "3.2 km". */
export const distanceText = (m: number) => (m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);
