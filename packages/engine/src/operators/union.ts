import type { Row } from '../api/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { ScopeField } from '../expressions/binder.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

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
    this.output = first.map((f, i) => ({
      name: f.name, type: f.type, nullable: children.some((c) => c.output[i]?.nullable !== false),
      ...(f.eventTimeDelayMs === undefined ? {} : { eventTimeDelayMs: f.eventTimeDelayMs }),
    }));
  }

  get statefulIds(): readonly string[] {
    return this.children.flatMap((c) => c.statefulIds);
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    return this.children.flatMap((c) => c.execute(inputs, ctx));
  }
}
