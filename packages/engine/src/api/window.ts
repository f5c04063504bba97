import type { Expr, FrameBoundary, WindowSpec as SpecShape } from '../expressions/expr.js';
import { literalExpr } from './column.js';
import { colExpr, type ColumnOrName } from './functions.js';

const exprOf = (x: ColumnOrName): Expr => (typeof x === 'string' ? colExpr(x) : x.expr);

/**
 * A frame boundary as PySpark's `rowsBetween` / `rangeBetween` read it: Window.unboundedPreceding
 * (or anything below), Window.currentRow (0), Window.unboundedFollowing (or anything above), else
 * an offset after the current row (Spark's Literal(n): `-1` is "-1 FOLLOWING" in the column name).
 */
function boundary(n: number): FrameBoundary {
  if (n <= Window.unboundedPreceding) return { kind: 'unboundedPreceding' };
  if (n >= Window.unboundedFollowing) return { kind: 'unboundedFollowing' };
  if (n === 0) return { kind: 'currentRow' };
  return { kind: 'offset', value: literalExpr(n), negated: false };
}

/**
 * PySpark's WindowSpec: the partitioning, ordering and frame a window function runs over
 * (`Window.partitionBy("word").orderBy("ts")`), given to `Column.over`. Immutable: each call
 * returns a new spec.
 */
export class WindowSpec {
  constructor(readonly spec: SpecShape = { partitionBy: [], orderBy: [] }) {}

  partitionBy(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): WindowSpec {
    return new WindowSpec({ ...this.spec, partitionBy: cols.flat().map(exprOf) });
  }

  /** Columns as they are (`col("ts").desc()` keeps its direction), names ascending. */
  orderBy(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): WindowSpec {
    return new WindowSpec({ ...this.spec, orderBy: cols.flat().map(exprOf) });
  }

  /** A frame of rows around the current one: `rowsBetween(-1, Window.currentRow)`. */
  rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec({ ...this.spec, frame: { type: 'rows', lower: boundary(start), upper: boundary(end) } });
  }

  /** A frame of order-key values around the current row's. */
  rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec({ ...this.spec, frame: { type: 'range', lower: boundary(start), upper: boundary(end) } });
  }
}

/** PySpark's `Window`: where window specifications start. */
export class Window {
  /** Python's `-sys.maxsize - 1` stand-in: any start at or below it is UNBOUNDED PRECEDING. */
  static readonly unboundedPreceding = Number.MIN_SAFE_INTEGER;
  /** Any end at or above it is UNBOUNDED FOLLOWING. */
  static readonly unboundedFollowing = Number.MAX_SAFE_INTEGER;
  static readonly currentRow = 0;

  static partitionBy(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): WindowSpec {
    return new WindowSpec().partitionBy(...cols);
  }

  static orderBy(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): WindowSpec {
    return new WindowSpec().orderBy(...cols);
  }

  static rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec().rowsBetween(start, end);
  }

  static rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec().rangeBetween(start, end);
  }
}
