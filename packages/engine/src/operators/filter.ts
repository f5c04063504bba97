import type { Row } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { bindExpr, type ScopeField, type BindSettings } from '../expressions/binder.js';
import type { Evaluator } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import { typeSql } from '../core/types.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/** Spark's Filter: keeps the rows whose condition is true (not false, not NULL). */
export class FilterOperator implements PhysicalOperator {
  private readonly condition: Evaluator;

  constructor(private readonly child: PhysicalOperator, condition: Expr, settings: BindSettings) {
    const bound = bindExpr(condition, { fields: child.output, ...settings });
    if (bound.type !== 'boolean' && bound.type !== 'void') {
      throw new AnalysisException(
        `[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve "${bound.sql}" due to data type mismatch: Filter expression "${bound.sql}" of type "${typeSql(bound.type)}" is not a boolean. SQLSTATE: 42K09`,
      );
    }
    this.condition = bound.eval;
  }

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return this.child.statefulIds;
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const cond = this.condition;
    return this.child.execute(inputs, ctx).filter((row) => cond(row, ctx) === true);
  }
}
