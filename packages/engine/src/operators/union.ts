import { isDecimal, isNumeric, sameType, type DataType, type Row, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { ScopeField } from '../expressions/binder.js';
import { castValue } from '../expressions/cast.js';
import { widerNumericType } from '../expressions/decimal-type.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

const widerSetType = (a: DataType, b: DataType): DataType =>
  sameType(a, b) || !(isNumeric(a) || isDecimal(a)) || !(isNumeric(b) || isDecimal(b)) ? a : widerNumericType(a, b);

/** Spark's Union (by position): the children's rows one after another. */
export class UnionOperator implements PhysicalOperator {
  readonly output: readonly ScopeField[];

  constructor(private readonly children: readonly PhysicalOperator[]) {
    const first = children[0]?.output ?? [];
    for (const c of children.slice(1)) {
      if (c.output.length !== first.length) {
        throw new AnalysisException(
          `[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has ${first.length} columns and the second input has ${c.output.length} columns. SQLSTATE: 42826`,
        );
      }
    }
    // Spark's Union.output is the first child's attributes (their metadata, so the watermark mark
    // `spark.watermarkDelayMs`, too) with the children's nullability.
    // WidenSetOperationTypes: numeric columns meet at their wider type (DECIMALs at the wider
    // DECIMAL), so every child's values are read at one type and scale.
    this.output = first.map((f, i) => ({
      name: f.name, type: children.reduce<DataType>((t, c) => widerSetType(t, c.output[i]?.type ?? t), f.type),
      nullable: children.some((c) => c.output[i]?.nullable !== false),
      ...(f.eventTimeDelayMs === undefined ? {} : { eventTimeDelayMs: f.eventTimeDelayMs }),
    }));
    this.casts = children.map((c) => {
      const cols = this.output.map((o, i) => {
        const from = c.output[i]?.type ?? o.type;
        return sameType(from, o.type) ? null : (v: Value): Value => castValue(v, from, o.type, 'UTC');
      });
      return cols.every((x) => x === null) ? null : cols;
    });
  }

  /** Per child, the casts its columns need to the output types (null: none). */
  private readonly casts: ReadonlyArray<ReadonlyArray<((v: Value) => Value) | null> | null>;

  get statefulIds(): readonly string[] {
    return this.children.flatMap((c) => c.statefulIds);
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    return this.children.flatMap((c, k) => {
      const rows = c.execute(inputs, ctx);
      const casts = this.casts[k];
      return casts === null || casts === undefined ? rows : rows.map((row) => row.map((v, i) => { const cast = casts[i]; return cast === null || cast === undefined ? v : cast(v); }));
    });
  }
}
