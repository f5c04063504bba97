import type { Row } from '../core/types.js';
import { parseSchemaDdl } from '../expressions/ddl-parser.js';
import { parseExpression } from '../expressions/sql-parser.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';
import { compilePlan } from './compile-plan.js';
import type { OperatorContext } from './operator.js';

const schema = parseSchemaDdl('id INT, w STRING, score INT');
const rows: Row[] = [[1, 'a', 3], [2, 'a', 1], [3, 'b', 2], [4, 'a', 3], [5, 'c', null], [6, 'b', 5], [7, 'a', 8]];
const store = new InMemoryStateStore();
const ctx: OperatorContext = {
  batchTimestampMs: 0, batchId: 0, outputMode: 'append', stores: () => store, watermarkMs: 0, lateEventsWatermarkMs: 0,
  eventTime: { observe: () => undefined }, metrics: { droppedByWatermark: 0, evicted: 0, updated: 0 }, shufflePartitions: 2,
};

/** `select(exprs)` over the static rows: output names, and rows (by id) for easy reading. */
function select(...exprs: string[]): { names: string[]; byId: Map<unknown, Row> } {
  const plan: LogicalPlan = {
    node: 'Project', exprs: exprs.map(parseExpression),
    child: { node: 'LocalRelation', schema, rows, description: 'test' },
  };
  const op = compilePlan(plan, 'UTC');
  const out = op.execute([], ctx);
  return { names: op.output.map((f) => f.name), byId: new Map(out.map((r) => [r[0], r.slice(1)])) };
}

const column = (result: { byId: Map<unknown, Row> }): unknown[] => [1, 2, 3, 4, 5, 6, 7].map((id) => result.byId.get(id)?.[0]);

describe('window functions over a static frame (WindowExec)', () => {
  it('row_number, rank and dense_rank in window order (ties share a rank)', () => {
    expect(column(select('id', 'rank() OVER (PARTITION BY w ORDER BY score DESC)'))).toEqual([2, 4, 2, 2, 1, 1, 1]);
    expect(column(select('id', 'dense_rank() OVER (PARTITION BY w ORDER BY score DESC)'))).toEqual([2, 3, 2, 2, 1, 1, 1]);
    expect(column(select('id', 'row_number() OVER (ORDER BY score DESC NULLS LAST, id)'))).toEqual([3, 6, 5, 4, 7, 2, 1]);
    // NULLS FIRST by default ascending: the NULL score numbers first.
    expect(column(select('id', 'row_number() OVER (ORDER BY score, id)'))).toEqual([4, 2, 3, 5, 1, 6, 7]);
  });

  it('lag and lead with offsets and defaults', () => {
    expect(column(select('id', 'lag(score) OVER (PARTITION BY w ORDER BY score, id)'))).toEqual([1, null, null, 3, null, 2, 3]);
    expect(column(select('id', 'lead(id, 1, -1) OVER (PARTITION BY w ORDER BY score, id)'))).toEqual([4, 1, 6, 7, -1, -1, -1]);
    expect(column(select('id', 'lag(score, 2, 0) OVER (PARTITION BY w ORDER BY id)'))).toEqual([0, 0, 0, 3, 0, 0, 1]);
  });

  it('aggregates over default frames: the whole partition unordered, up to the peers ordered', () => {
    expect(column(select('id', 'count(*) OVER (PARTITION BY w)'))).toEqual([4, 4, 2, 4, 1, 2, 4]);
    expect(column(select('id', 'sum(score) OVER (PARTITION BY w ORDER BY score)'))).toEqual([7, 1, 2, 7, null, 7, 15]);
    expect(column(select('id', 'avg(score) OVER (PARTITION BY w)'))).toEqual([3.75, 3.75, 3.5, 3.75, null, 3.5, 3.75]);
  });

  it('explicit ROWS and RANGE frames', () => {
    expect(column(select('id', 'sum(score) OVER (PARTITION BY w ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)'))).toEqual([4, 7, 7, 12, null, 7, 11]);
    expect(column(select('id', 'sum(score) OVER (PARTITION BY w ORDER BY id ROWS 1 PRECEDING)'))).toEqual([3, 4, 2, 4, null, 7, 11]);
    expect(column(select('id', 'max(score) OVER (PARTITION BY w ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)'))).toEqual([8, 8, 5, 8, null, 5, 8]);
    // RANGE 2 PRECEDING: order keys within 2 below the current one (peers included).
    expect(column(select('id', 'count(*) OVER (PARTITION BY w ORDER BY score RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)'))).toEqual([3, 1, 1, 3, 1, 1, 1]);
    expect(column(select('id', 'count(*) OVER (PARTITION BY w ORDER BY score DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)'))).toEqual([2, 3, 1, 2, 1, 1, 1]);
  });

  it("names the columns as Spark does (the frame each function takes, upper-case ranking names)", () => {
    expect(select(
      'rank() OVER (PARTITION BY w ORDER BY score)', 'lag(score) OVER (PARTITION BY w ORDER BY score)', 'lead(score, 2) OVER (ORDER BY score)',
      'count(*) OVER (PARTITION BY w)', 'min(score) OVER (PARTITION BY w ORDER BY id RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)',
      'row_number() OVER (ORDER BY id) + 1', 'row_number() OVER (ORDER BY id) AS rn',
    ).names).toEqual([
      'RANK() OVER (PARTITION BY w ORDER BY score ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'lag(score, 1, NULL) OVER (PARTITION BY w ORDER BY score ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)',
      'lead(score, 2, NULL) OVER (ORDER BY score ASC NULLS FIRST ROWS BETWEEN 2 FOLLOWING AND 2 FOLLOWING)',
      'count(1) OVER (PARTITION BY w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
      'min(score) OVER (PARTITION BY w ORDER BY id ASC NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)',
      '(row_number() OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) + 1)',
      'rn',
    ]);
  });

  it('leaves rows as the last Window operator does: by partition of the keys, sorted in each', () => {
    const plan: LogicalPlan = {
      node: 'Project', exprs: [parseExpression('w'), parseExpression('score'), parseExpression('row_number() OVER (PARTITION BY w ORDER BY score DESC) AS rn')],
      child: { node: 'LocalRelation', schema, rows, description: 'test' },
    };
    const out = compilePlan(plan, 'UTC').execute([], { ...ctx, shufflePartitions: 1 });
    expect(out).toEqual([['a', 8, 1], ['a', 3, 2], ['a', 3, 3], ['a', 1, 4], ['b', 5, 1], ['b', 2, 2], ['c', null, 1]]);
  });

  it('refuses what Spark refuses: no OVER, no ORDER BY for a ranking function, a window in a filter', () => {
    expect(() => select('row_number()')).toThrow('[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "row_number()" requires an OVER clause. SQLSTATE: 42601');
    expect(() => select('rank() OVER (PARTITION BY w)')).toThrow('[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function rank requires the window to be ordered. You need to add an ORDER BY clause. For example: SELECT RANK() OVER (PARTITION BY window_partition ORDER BY window_ordering) FROM table. SQLSTATE: 42601');
    expect(() => select('row_number() OVER ()')).toThrow('Window function row_number requires the window to be ordered');
    const filter: LogicalPlan = { node: 'Filter', condition: parseExpression('row_number() OVER (ORDER BY id) = 1'), child: { node: 'LocalRelation', schema, rows, description: 'test' } };
    expect(() => compilePlan(filter, 'UTC')).toThrow('[WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE] It is not allowed to use window functions inside WHERE clause. SQLSTATE: 42601');
    expect(() => select('upper(w) OVER (ORDER BY id)')).toThrow('[UNSUPPORTED_EXPR_FOR_WINDOW] Expression "upper(w)" not supported within a window function. SQLSTATE: 42P20');
  });

  it('refuses frames a function does not take, DISTINCT and RANGE offsets on a string (Spark 4.2 texts)', () => {
    expect(() => select('rank() OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)'))
      .toThrow('Window Frame specifiedwindowframe(RowFrame, -1, currentrow$()) must match the required frame specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$()).');
    expect(() => select('row_number() OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)')).not.toThrow();
    expect(() => select('lag(w) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)')).toThrow('Cannot specify window frame for lag function.');
    expect(() => select('lag(w) OVER (PARTITION BY w)')).toThrow('Window function lag requires the window to be ordered. You need to add an ORDER BY clause. For example: SELECT lag(w, 1, NULL) OVER');
    expect(() => select('count(DISTINCT w) OVER (PARTITION BY id)')).toThrow('[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED] Distinct window functions are not supported: "count(DISTINCT w) OVER (PARTITION BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)". SQLSTATE: 0A000');
    expect(() => select('count(*) OVER (ORDER BY w RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)')).toThrow(
      '[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] Cannot resolve "RANGE BETWEEN (- 1) FOLLOWING AND CURRENT ROW" due to data type mismatch: The data type of the lower bound "STRING" does not match the expected data type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"). SQLSTATE: 42K09');
    expect(() => select('rank()')).toThrow('[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "RANK()" requires an OVER clause. SQLSTATE: 42601');
    expect(() => select('lag(w)')).toThrow('Window function "lag(w, 1, NULL)" requires an OVER clause.');
  });

  it('a RANGE frame over a timestamp takes a day-time interval', () => {
    const times: LogicalPlan = {
      node: 'Project', exprs: [parseExpression('count(*) OVER (ORDER BY t RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) AS n')],
      child: { node: 'LocalRelation', schema: parseSchemaDdl('t TIMESTAMP'), rows: [[0], [1_800_000_000], [3_600_000_000], [7_200_000_001]], description: 'test' },
    };
    expect(compilePlan(times, 'UTC').execute([], ctx)).toEqual([[1], [2], [3], [1]]);
  });
});
