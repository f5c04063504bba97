import { escapeHtml, histogramChart, labelledBarChart, legendHtml, stackedBarChart, timelineChart, valueTicks, type ChartPoint } from './svg-chart.js';

/** The text of every `<text class="…cls…">` in an axis group of `svg`. */
function texts(svg: string, axis: 'x-axis' | 'y-axis', cls: 'tick' | 'axis-title'): string[] {
  const group = new RegExp(`<g class="axis ${axis}">(.*?)</g>`).exec(svg)?.[1] ?? '';
  return [...group.matchAll(new RegExp(`<text class="${cls}[^"]*"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1] ?? '');
}

const attrs = (svg: string, tag: string, attr: string): string[] =>
  [...svg.matchAll(new RegExp(`<${tag}[^>]*? ${attr}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');

const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const pts = (values: readonly number[], stepMs = 15_000): ChartPoint[] => values.map((v, i) => ({ t: t0 + i * stepMs, v, batchId: i }));

describe('timelineChart', () => {
  const svg = timelineChart({
    id: 'input-rate', title: 'Input rate over time', unit: 'rows/s',
    series: [{ label: 'input', points: pts([3, 18.5, 7, 39.2, 0]) }], link: (b) => `/query/q#batch-${b}`,
  });

  it('draws a value axis with round ticks labelled in the unit, and the unit as its title', () => {
    expect(texts(svg, 'y-axis', 'tick')).toEqual(['0', '10', '20', '30', '40']);
    expect(texts(svg, 'y-axis', 'axis-title')).toEqual(['rows/s']);
  });

  it('draws a UTC time axis with clock labels on whole steps', () => {
    expect(texts(svg, 'x-axis', 'tick')).toEqual(['12:00:00', '12:00:15', '12:00:30', '12:00:45', '12:01:00']);
    expect(texts(svg, 'x-axis', 'axis-title')).toEqual(['time (UTC)']);
  });

  it('draws one point per batch, at its value, linking to the batch, with a tooltip', () => {
    expect(attrs(svg, 'polyline', 'data-points')).toEqual(['5']);
    expect(attrs(svg, 'a', 'href')).toEqual([0, 1, 2, 3, 4].map((b) => `/query/q#batch-${b}`));
    expect(svg).toContain('<title>batch 3 · 12:00:45 UTC · 39.2 rows/s</title>');
    // Plot: y from 22 (40 rows/s) to 142 (0): 39.2 sits at 142 - 39.2 / 40 * 120.
    const cy = attrs(svg, 'circle', 'cy').map(Number);
    expect(cy[3]).toBeCloseTo(142 - (39.2 / 40) * 120, 1);
    expect(cy[4]).toBe(142);
    const cx = attrs(svg, 'circle', 'cx').map(Number);
    expect(cx[0]).toBe(62);
    expect(cx[4]).toBe(560 - 16);
  });

  it('draws a line per series, names series in tooltips, and says when there is nothing yet', () => {
    const two = timelineChart({ id: 'lag', title: 'lag', unit: 'records', series: [{ label: 'a/0', points: pts([1, 2]) }, { label: 'a/1', points: pts([4, 0]) }] });
    expect(attrs(two, 'polyline', 'stroke')).toEqual(['#2563eb', '#ea580c']);
    expect(two).toContain('<title>a/1 · batch 0 · 12:00:00 UTC · 4 records</title>');
    const empty = timelineChart({ id: 'x', title: 'x', unit: 'ms', series: [{ label: 'x', points: [] }] });
    expect(empty).toContain('no batches yet');
    expect(texts(empty, 'y-axis', 'tick')).toEqual(['0 ms', '0.5 ms', '1 ms']);
  });

  it('escapes labels', () => {
    const svg2 = timelineChart({ id: 'a"b', title: '<t>', unit: 'rows', series: [{ label: '<s>', points: pts([1]) }, { label: 'x', points: [] }] });
    expect(svg2).toContain('data-metric="a&quot;b"');
    expect(svg2).toContain('aria-label="&lt;t&gt;"');
    expect(svg2).not.toContain('<s>');
  });
});

describe('histogramChart', () => {
  it('counts the batches of each value band against the timeline\'s value axis', () => {
    const values = [3, 4, 18.5, 19, 19.9, 39.2];
    const ticks = valueTicks(values, 'rows/s');
    expect(ticks).toEqual([0, 10, 20, 30, 40]);
    const svg = histogramChart({ id: 'input-rate', title: 'h', unit: 'rows/s', values, ticks });
    expect(texts(svg, 'y-axis', 'tick')).toEqual(['0', '10', '20', '30', '40']);
    expect(texts(svg, 'x-axis', 'axis-title')).toEqual(['batches']);
    expect(texts(svg, 'x-axis', 'tick')).toEqual(['0', '1', '2', '3']);
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['0 rows/s – 5 rows/s: 2 batches', '15 rows/s – 20 rows/s: 3 batches', '35 rows/s – 40 rows/s: 1 batch']);
    // Bars grow from the axis: 3 batches fill the plot (axis max 3).
    const widths = attrs(svg, 'rect', 'width').map(Number);
    expect(widths).toEqual([(2 / 3) * 222, 222, (1 / 3) * 222].map((w) => Math.round(w * 10) / 10));
  });
});

describe('stackedBarChart', () => {
  const bars = [
    { batchId: 7, t: t0, parts: { latestOffset: 5, addBatch: 140, commitOffsets: 20, triggerExecution: 170 } },
    { batchId: 8, t: t0 + 2000, parts: { latestOffset: 2, addBatch: 40, commitOffsets: 8, triggerExecution: 50 } },
  ];
  const svg = stackedBarChart({ id: 'operation-duration', title: 'd', unit: 'ms', keys: ['latestOffset', 'addBatch', 'commitOffsets'], bars, link: (b) => `#batch-${b}` });

  it('stacks the phases of each batch, in order, on a ms axis, with the batch ids below', () => {
    expect(texts(svg, 'y-axis', 'tick')).toEqual(['0 ms', '50 ms', '100 ms', '150 ms', '200 ms']);
    expect(texts(svg, 'x-axis', 'tick')).toEqual(['7', '8']);
    expect(texts(svg, 'x-axis', 'axis-title')).toEqual(['batch']);
    expect(attrs(svg, 'rect', 'data-part')).toEqual(['latestOffset', 'addBatch', 'commitOffsets', 'latestOffset', 'addBatch', 'commitOffsets']);
    const heights = attrs(svg, 'rect', 'height').map(Number);
    expect(heights.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo((165 / 200) * 120, 0);
    expect(svg).toContain('<title>batch 7 · 12:00:00 UTC · 165 ms (latestOffset 5 ms, addBatch 140 ms, commitOffsets 20 ms)</title>');
    expect(attrs(svg, 'a', 'href')).toEqual(['#batch-7', '#batch-8']);
  });

  it('has a legend in the same colours', () => {
    expect(legendHtml(['latestOffset', 'addBatch'])).toBe('<ul class="legend"><li><span class="swatch" style="background:#2563eb"></span>latestOffset</li>' +
      '<li><span class="swatch" style="background:#ea580c"></span>addBatch</li></ul>');
    expect(attrs(svg, 'rect', 'fill').slice(0, 2)).toEqual(['#2563eb', '#ea580c']);
  });
});

describe('labelledBarChart', () => {
  it('draws a bar per item with its label and a value axis with its title', () => {
    const svg = labelledBarChart({ id: 'lag', title: 'l', unit: 'records', axisTitle: 'records behind', items: [{ label: 'orders/0', v: 120 }, { label: 'orders/1', v: 0 }] });
    expect([...svg.matchAll(/<text class="tick label"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['orders/0', 'orders/1']);
    expect(texts(svg, 'x-axis', 'tick')).toEqual(['0', '50', '100', '150']);
    expect(texts(svg, 'x-axis', 'axis-title')).toEqual(['records behind']);
    expect(svg).toContain('<title>orders/0: 120 records</title>');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
