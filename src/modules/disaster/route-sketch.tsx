// The route's line as a small SVG sketch (start, path, shelter), drawn on the server: the route page's
// picture without JavaScript or WebGL. With the map drawn (data-state="ready"), CSS hides it.
type Pos = [number, number];

/** The line's points in a 300×300 box, north up; longitude scaled by cos(latitude) to keep the shape. */
export function sketchPoints(line: Pos[]): Pos[] {
  const xs = line.map((p) => p[0]);
  const ys = line.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.cos(((minY + maxY) / 2) * (Math.PI / 180));
  const span = Math.max((maxX - minX) * k, maxY - minY) || 1e-6;
  const r = (n: number) => Math.round(n * 10) / 10;
  return line.map((p) => [r(10 + (((p[0] - minX) * k) / span) * 280), r(10 + ((maxY - p[1]) / span) * 280)]);
}

export const RouteSketch = (p: { line: Pos[]; network: boolean }) => {
  const pts = sketchPoints(p.line);
  const ends: [Pos, string][] = [
    [pts[0]!, '#333333'],
    [pts[pts.length - 1]!, '#1a7f37'],
  ];
  return (
    <div class="route-map" aria-hidden="true">
      <svg viewBox="0 0 300 300" class="route-sketch" focusable="false">
        <polyline
          points={pts.map((q) => q.join(',')).join(' ')}
          fill="none"
          stroke={p.network ? '#00118f' : '#b00020'}
          stroke-width="4"
          stroke-dasharray={p.network ? undefined : '8 6'}
        />
        {ends.map(([q, colour]) => (
          <circle cx={String(q[0])} cy={String(q[1])} r="7" fill={colour} />
        ))}
      </svg>
    </div>
  );
};
