import type { DataType, Value } from '../core/types.js';

/**
 * Unresolved expression trees, as the DataFrame API and the SQL expression parser build them.
 * Plain data: they serialise to JSON inside plan documents. The analyzer resolves them against
 * a schema (types, nullability, Spark's output names) and compiles them to functions.
 */
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | 'div'
  | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>'
  | 'and' | 'or' | '||';

export type UnaryOp = 'not' | 'negate' | 'isnull' | 'isnotnull';

export type Expr =
  /**
   * A column by name; `qualifier` from `t.col` or a DataFrame alias. `ordinal` (set by `toDF`)
   * picks the input column by position when it bears that name, so duplicate names resolve.
   */
  | { readonly kind: 'column'; readonly name: string; readonly qualifier?: string; readonly ordinal?: number }
  /** `*` or `t.*` (and the argument of `count(*)`). */
  | { readonly kind: 'star'; readonly qualifier?: string }
  /** A literal; `type` is the literal's Spark type (`void` for NULL). */
  | { readonly kind: 'literal'; readonly value: Value; readonly type: DataType }
  | { readonly kind: 'alias'; readonly child: Expr; readonly name: string }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly child: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  /** A function or aggregate call; `name` is lower case; `distinct` for `count(DISTINCT x)`. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly distinct?: boolean }
  /** `CAST(x AS t)`; `try` for `try_cast(x AS t)` (NULL where the cast fails). */
  | { readonly kind: 'cast'; readonly child: Expr; readonly type: DataType; readonly try?: boolean }
  /** `CASE [subject] WHEN .. THEN .. [ELSE ..] END` and `when(...).otherwise(...)`. */
  | {
      readonly kind: 'case';
      readonly subject?: Expr;
      readonly branches: ReadonlyArray<{ readonly when: Expr; readonly then: Expr }>;
      readonly otherwise?: Expr;
    }
  | { readonly kind: 'like'; readonly child: Expr; readonly pattern: Expr; readonly negated: boolean }
  | { readonly kind: 'in'; readonly child: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'between'; readonly child: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean }
  /** `x.field` on a struct, or `x[i]` / `x['k']` (extraction). */
  | { readonly kind: 'extract'; readonly child: Expr; readonly field: Expr }
  /** A sort key: `col("a").desc()`, `a DESC NULLS LAST`. */
  | {
      readonly kind: 'sortOrder';
      readonly child: Expr;
      readonly direction: 'asc' | 'desc';
      readonly nulls: 'first' | 'last';
    }
  /** `explode(m) AS (k, v)`: names for the columns of a generator (Spark's MultiAlias). */
  | { readonly kind: 'multiAlias'; readonly child: Expr; readonly names: readonly string[] }
  /** `f(...) OVER (PARTITION BY .. ORDER BY .. frame)`, `col.over(windowSpec)`. */
  | { readonly kind: 'window'; readonly function: Expr; readonly spec: WindowSpec };

/** A window specification; `orderBy` holds `sortOrder` expressions. */
export interface WindowSpec {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly Expr[];
  /** Absent: the function's own frame, or the default one (Spark's UnspecifiedFrame). */
  readonly frame?: WindowFrame;
}

export interface WindowFrame {
  readonly type: 'rows' | 'range';
  readonly lower: FrameBoundary;
  readonly upper: FrameBoundary;
}

/**
 * A frame boundary. An offset counts rows (ROWS) or order-key values (RANGE) after the current
 * row; `negated` is SQL's `n PRECEDING` (Spark's UnaryMinus(n)), as opposed to `-n FOLLOWING`.
 */
export type FrameBoundary =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'unboundedFollowing' }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'offset'; readonly value: Expr; readonly negated: boolean };
