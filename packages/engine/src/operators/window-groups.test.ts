import type { Row, Value } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import { bindAggregate } from '../expressions/aggregate-functions.js';
import { bindExpr, type Scope } from '../expressions/binder.js';
import type { BoundAggregate } from '../expressions/bound-aggregate.js';
import { parseExpression } from '../expressions/sql-parser.js';
import type { OperatorContext } from './operator.js';
import { windowGroups, type WindowGrouping } from './window-groups.js';

const scope: Scope = {
  timeZone: 'UTC',
  fields: [
    { name: 'ts', type: 'timestamp', nullable: true, eventTimeDelayMs: 0 },
    { name: 'k', type: 'string', nullable: true },
    { name: 'v', type: 'double', nullable: true },
    { name: 'n', type: 'int', nullable: true },
  ],
};

function context(lateEventsWatermarkMs: number): OperatorContext {
  return {
    batchTimestampMs: 0, batchId: 0, outputMode: 'update', stores: () => { throw new TypeError('no store here'); },
    watermarkMs: lateEventsWatermarkMs, lateEventsWatermarkMs, eventTime: { observe: () => undefined },
    metrics: { droppedByWatermark: 0, evicted: 0, updated: 0 },
  };
}

function grouping(keys: readonly string[], windowSql: string): WindowGrouping {
  const bound = keys.map((k) => bindExpr(parseExpression(k === 'window' ? windowSql : k), scope));
  const windowAt = keys.indexOf('window');
  const window = bound[windowAt]?.window;
  if (window === undefined) throw new TypeError('no window key');
  const aggs: BoundAggregate[] = [
    bindAggregate('sum', [bindExpr(parseExpression('v'), scope)], false),
    bindAggregate('collect_list', [bindExpr(parseExpression('n'), scope)], false),
  ];
  return { keys: bound, windowAt, window, eventKey: bound.findIndex((b) => b.eventTime !== undefined), aggs };
}

/** The groups as one struct, one JSON key and one lookup per (row, window) make them: the reference. */
function reference(rows: readonly Row[], g: WindowGrouping, ctx: OperatorContext): Map<string, Value[]> {
  const out = new Map<string, Value[]>();
  for (const row of rows) {
    const base = g.keys.map((b, i) => (i === g.windowAt ? null : b.eval(row, ctx)));
    for (const w of (g.keys[g.windowAt]?.eval(row, ctx) ?? []) as Value[]) {
      const values = base.map((v, i) => (i === g.windowAt ? w : v));
      const event = values[g.eventKey];
      const micros = Array.isArray(event) ? event[1] : event;
      if (ctx.lateEventsWatermarkMs > 0 && typeof micros === 'number' && micros / 1000 <= ctx.lateEventsWatermarkMs) {
        ctx.metrics.droppedByWatermark += 1;
        continue;
      }
      const key = stringifyValue(values);
      let state = out.get(key);
      if (state === undefined) {
        state = [values, ...g.aggs.map((a) => a.init())];
        out.set(key, state);
      }
      for (let a = 0; a < g.aggs.length; a++) state[a + 1] = (g.aggs[a] as BoundAggregate).update(state[a + 1] ?? null, row, ctx);
    }
  }
  return out;
}

/** Deterministic rows: times in and out of order (negative ones too), repeated and NULL keys, doubles that round. */
function rows(count: number, seed: number): Row[] {
  let x = seed;
  const next = (m: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % m;
  };
  const keys: Value[] = ['a', 'b', 'c"q', null];
  return Array.from({ length: count }, (_, i) => {
    const ts = next(5) === 0 ? null : (i * 7 + next(40) - 60) * 1000;
    return [ts, keys[next(4)] ?? null, next(3) === 0 ? null : 0.1 * next(100), i];
  });
}

describe('windowGroups (a windowed aggregation\'s groups without a key per window)', () => {
  const cases: Array<[string, readonly string[], string, number]> = [
    ['sliding window alone', ['window'], 'window(ts, 100000, 30000)', 0],
    ['window then a string key', ['window', 'k'], 'window(ts, 100000, 30000, 10000)', 0],
    ['a key then the window, slide not dividing the window', ['k', 'window'], 'window(ts, 100000, 30000, -20000)', 0],
    ['two other keys', ['k', 'window', 'n % 3'], 'window(ts, 60000, 20000)', 0],
    ['tumbling window with late rows', ['window', 'k'], 'window(ts, 50000)', 150],
    ['sliding window with late rows', ['k', 'window'], 'window(ts, 100000, 30000)', 200],
    ['event time as a separate key', ['window', 'ts'], 'window(ts, 100000, 40000)', 120],
    ['a double key, NULL, NaN and -0.0 among its values', ['window', "CASE WHEN n % 4 = 0 THEN CAST('NaN' AS DOUBLE) WHEN n % 4 = 1 THEN -0.0 ELSE v END"], 'window(ts, 100000, 30000)', 0],
  ];
  it.each(cases)('%s: the same groups, order, buffers and drop count as one key per window', (_name, keys, windowSql, watermarkMs) => {
    const g = grouping(keys, windowSql);
    for (const seed of [1, 7, 42]) {
      const input = rows(400, seed);
      const expectedCtx = context(watermarkMs);
      const actualCtx = context(watermarkMs);
      const expected = reference(input, g, expectedCtx);
      const actual = windowGroups(input, g, watermarkMs > 0, actualCtx);
      expect([...actual]).toEqual([...expected]);
      expect(actualCtx.metrics.droppedByWatermark).toBe(expectedCtx.metrics.droppedByWatermark);
      if (watermarkMs > 0) expect(actualCtx.metrics.droppedByWatermark).toBeGreaterThan(0);
    }
  });

  it('ignores the watermark when not asked to drop late rows (complete mode)', () => {
    const g = grouping(['window'], 'window(ts, 50000)');
    const input = rows(200, 3);
    const ctx = context(150);
    const all = windowGroups(input, g, false, ctx);
    expect(ctx.metrics.droppedByWatermark).toBe(0);
    expect([...all]).toEqual([...reference(input, g, context(0))]);
  });
});
