// Charts rendered to SVG on the server (readable without JavaScript). Every chart on a page
// also comes with a table of the same numbers; the SVG itself is labelled for screen readers.
import type { Lang } from './messages.ts';

type ECharts = typeof import('echarts/core');

// ECharts takes about a second to load: it is loaded on the first page render, not at start-up,
// so the server is ready sooner (docs/benchmarks.md, second start).
let echarts: ECharts | undefined;
let loading: Promise<void> | undefined;

export function loadCharts(): Promise<void> {
  loading ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    core.use([charts.BarChart, components.GridComponent, components.LegendComponent, renderers.SVGRenderer]);
    echarts = core;
  })();
  return loading;
}

// デジタル庁デザインシステムの色 (design tokens): contrast of at least 3:1 against white.
export const chartColors = ['#0017c1', '#008da6', '#c16800', '#6f23d0', '#5f5f5f'];
const text = '#1a1a1a';

export interface BarSeries {
  name: string;
  values: (number | null)[];
}

export interface BarChartInput {
  /** Names the chart for assistive technology. */
  label: string;
  categories: string[];
  series: BarSeries[];
  /** The value axis' end; null lets the chart choose. */
  max?: number | null;
  unit?: string;
  width?: number;
  /** How a bar's value is written beside it. */
  format?: (v: number) => string;
  /** The page's language: on an English page the categories (Japanese names, data) are marked lang="ja". */
  lang?: Lang;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Wide enough for a phone's content column (360–414 px screens) unscaled, so labels stay 13 px there. */
const NARROW = 340;

/**
 * A horizontal bar chart, one row per category, drawn twice: for wide screens and for phones (the
 * stylesheet shows one), since one drawing scaled to a phone would shrink its labels to ~6 px.
 * Needs loadCharts() to have finished.
 */
export function barChart(input: BarChartInput): string {
  const wide = markCategories(drawBars(input, input.width ?? 720, 220), input);
  const narrow = markCategories(drawBars(input, NARROW, 120), input);
  return `<div class="chart-wide">${wide}</div><div class="chart-narrow">${narrow}</div>`;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** SC 3.1.2 Language of Parts: a category label (drawn in one or more lines) written in Japanese, on an English page. */
function markCategories(svg: string, { lang, categories }: BarChartInput): string {
  if (lang !== 'en') return svg;
  return svg.replace(/<text ([^>]*)>([^<]+)<\/text>/g, (whole, attrs: string, content: string) => {
    const t = unescape(content);
    return /[^\x20-\x7e]/.test(t) && categories.some((c) => c.includes(t)) ? `<text lang="ja" ${attrs}>${content}</text>` : whole;
  });
}

function drawBars(
  { label, categories, series, max = 100, unit = '%', format = (v: number) => `${v.toFixed(1)}${unit}` }: BarChartInput,
  width: number,
  labelWidth: number,
): string {
  const rowHeight = 26 * Math.max(1, series.length) + 14;
  const legend = series.length > 1 ? 32 : 0;
  const height = categories.length * rowHeight + 40 + legend;
  if (!echarts) throw new Error('barChart: call loadCharts() first');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    color: chartColors,
    textStyle: { color: text, fontFamily: 'sans-serif', fontSize: 13 },
    legend: series.length > 1 ? { top: 0, textStyle: { color: text } } : undefined,
    grid: { left: 8, right: 64, top: 8 + legend, bottom: 24, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'value', min: 0, max: max ?? undefined, axisLabel: { color: text, formatter: `{value}${unit}` } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories,
      axisLabel: { color: text, width: labelWidth, overflow: 'break' },
    },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      barMaxWidth: 22,
      data: s.values.map((v) => v ?? 0),
      label: {
        show: true,
        position: 'right',
        color: text,
        formatter: (p: { dataIndex: number }) => {
          const v = s.values[p.dataIndex];
          return v === null || v === undefined ? '－' : format(v);
        },
      },
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttr(label)}" focusable="false" `);
}
