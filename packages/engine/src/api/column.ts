import type { BinaryOp, Expr } from '../expressions/expr.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import { fitLong } from '../expressions/exact-long.js';
import { parseDataType } from '../expressions/ddl-parser.js';
import type { DataType, Value } from '../core/types.js';
import type { WindowSpec } from './window.js';

/** What API calls accept where PySpark takes a Column or a literal. */
export type ColumnOrValue = Column | string | number | bigint | boolean | null;

/**
 * A literal expression with Spark's literal typing (int when it fits, else bigint/double; a JS
 * bigint is a BIGINT, exact over the long range).
 */
export function literalExpr(value: Value): Expr {
  if (value === null) return { kind: 'literal', value: null, type: 'void' };
  if (typeof value === 'boolean') return { kind: 'literal', value, type: 'boolean' };
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value))) {
    const exact = fitLong(BigInt(value));
    if (exact === null) throw new IllegalArgumentError(`${String(value)} is outside the BIGINT range`);
    return { kind: 'literal', value: exact, type: 'bigint' };
  }
  if (typeof value === 'number') {
    const type: DataType = Number.isInteger(value) ? (Math.abs(value) <= 2147483647 ? 'int' : 'bigint') : 'double';
    return { kind: 'literal', value, type };
  }
  if (typeof value === 'string') return { kind: 'literal', value, type: 'string' };
  return { kind: 'literal', value, type: { kind: 'array', elementType: 'string', containsNull: true } };
}

/** Operands of Column methods: a Column as is, anything else a literal (as PySpark's `lit`). */
export function toExpr(value: ColumnOrValue): Expr {
  return value instanceof Column ? value.expr : literalExpr(value);
}

/**
 * A column expression, as PySpark's Column. Python operators become methods:
 * `a > 4` → `a.gt(4)`, `a + b` → `a.plus(b)`, `a & b` → `a.and(b)`, `~a` → `not(a)`.
 */
export class Column {
  constructor(readonly expr: Expr) {}

  private bin(op: BinaryOp, other: ColumnOrValue): Column {
    return new Column({ kind: 'binary', op, left: this.expr, right: toExpr(other) });
  }

  alias(name: string): Column {
    return new Column({ kind: 'alias', child: this.expr, name });
  }
  as(name: string): Column { return this.alias(name); }
  name(name: string): Column { return this.alias(name); }

  plus(o: ColumnOrValue): Column { return this.bin('+', o); }
  minus(o: ColumnOrValue): Column { return this.bin('-', o); }
  multiply(o: ColumnOrValue): Column { return this.bin('*', o); }
  divide(o: ColumnOrValue): Column { return this.bin('/', o); }
  mod(o: ColumnOrValue): Column { return this.bin('%', o); }

  gt(o: ColumnOrValue): Column { return this.bin('>', o); }
  geq(o: ColumnOrValue): Column { return this.bin('>=', o); }
  lt(o: ColumnOrValue): Column { return this.bin('<', o); }
  leq(o: ColumnOrValue): Column { return this.bin('<=', o); }
  eq(o: ColumnOrValue): Column { return this.bin('=', o); }
  equalTo(o: ColumnOrValue): Column { return this.bin('=', o); }
  ne(o: ColumnOrValue): Column { return this.bin('!=', o); }
  notEqual(o: ColumnOrValue): Column { return this.bin('!=', o); }
  eqNullSafe(o: ColumnOrValue): Column { return this.bin('<=>', o); }

  and(o: ColumnOrValue): Column { return this.bin('and', o); }
  or(o: ColumnOrValue): Column { return this.bin('or', o); }

  isNull(): Column { return new Column({ kind: 'unary', op: 'isnull', child: this.expr }); }
  isNotNull(): Column { return new Column({ kind: 'unary', op: 'isnotnull', child: this.expr }); }

  like(pattern: string): Column {
    return new Column({ kind: 'like', child: this.expr, pattern: literalExpr(pattern), negated: false });
  }
  isin(...values: ColumnOrValue[] | [ColumnOrValue[]]): Column {
    const list = (values.length === 1 && Array.isArray(values[0]) ? values[0] : values) as ColumnOrValue[];
    return new Column({ kind: 'in', child: this.expr, list: list.map(toExpr), negated: false });
  }
  between(low: ColumnOrValue, high: ColumnOrValue): Column {
    return new Column({ kind: 'between', child: this.expr, low: toExpr(low), high: toExpr(high), negated: false });
  }

  cast(type: string | DataType): Column {
    return new Column({ kind: 'cast', child: this.expr, type: typeof type === 'string' ? parseDataType(type) : type });
  }
  astype(type: string | DataType): Column { return this.cast(type); }
  /** Spark 4's `Column.try_cast`: NULL where the value cannot be cast (`TRY_CAST(x AS t)`). */
  try_cast(type: string | DataType): Column {
    return new Column({ kind: 'cast', child: this.expr, type: typeof type === 'string' ? parseDataType(type) : type, try: true });
  }

  substr(pos: number, len: number): Column {
    return new Column({ kind: 'call', name: 'substring', args: [this.expr, literalExpr(pos), literalExpr(len)] });
  }
  getItem(key: number | string): Column {
    return new Column({ kind: 'extract', child: this.expr, field: literalExpr(key) });
  }
  getField(name: string): Column {
    return new Column({ kind: 'extract', child: this.expr, field: literalExpr(name) });
  }

  asc(): Column { return new Column({ kind: 'sortOrder', child: this.expr, direction: 'asc', nulls: 'first' }); }
  asc_nulls_first(): Column { return this.asc(); }
  asc_nulls_last(): Column { return new Column({ kind: 'sortOrder', child: this.expr, direction: 'asc', nulls: 'last' }); }
  desc(): Column { return new Column({ kind: 'sortOrder', child: this.expr, direction: 'desc', nulls: 'last' }); }
  desc_nulls_first(): Column { return new Column({ kind: 'sortOrder', child: this.expr, direction: 'desc', nulls: 'first' }); }
  desc_nulls_last(): Column { return this.desc(); }

  /** `row_number().over(Window.partitionBy("k").orderBy("ts"))`: a window function over a window. */
  over(window: WindowSpec): Column {
    return new Column({ kind: 'window', function: this.expr, spec: window.spec });
  }

  /** `when(cond, v).when(cond2, v2)` chains onto a CASE built by `when(...)`. */
  when(condition: Column, value: ColumnOrValue): Column {
    if (this.expr.kind !== 'case' || this.expr.otherwise !== undefined) {
      throw new IllegalStateError('when() can only be applied on a Column previously generated by when() function');
    }
    return new Column({ ...this.expr, branches: [...this.expr.branches, { when: condition.expr, then: toExpr(value) }] });
  }
  otherwise(value: ColumnOrValue): Column {
    if (this.expr.kind !== 'case' || this.expr.otherwise !== undefined) {
      throw new IllegalStateError('otherwise() can only be applied on a Column previously generated by when() function, and only once');
    }
    return new Column({ ...this.expr, otherwise: toExpr(value) });
  }
}
