import type { Row, Schema } from '../api/types.js';
import { compilePlan } from '../operators/compile-plan.js';
import type { PhysicalOperator } from '../operators/operator.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';

/**
 * Runs a query plan batch by batch in memory — the operators, output mode and state exactly
 * as the processor runs them, without Kafka or Redis. For tests of query behaviour.
 */
export class PlanRunner {
  private readonly operator: PhysicalOperator;
  private readonly stores = new Map<string, InMemoryStateStore>();
  private batchId = 0;

  constructor(private readonly plan: QueryPlan, private readonly clock: () => number = () => 0) {
    this.operator = compilePlan(plan.root, plan.sessionTimeZone);
  }

  get schema(): Schema {
    return this.operator.output.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
  }

  /** Runs one batch; `inputs` is the rows of source 0, or one array per source. */
  runBatch(inputs: readonly Row[] | ReadonlyArray<readonly Row[]>, perSource = false): Row[] {
    const bySource = perSource ? (inputs as ReadonlyArray<readonly Row[]>) : [inputs as readonly Row[]];
    const rows = this.operator.execute(bySource, {
      batchId: this.batchId,
      batchTimestampMs: this.clock(),
      outputMode: this.plan.outputMode,
      stores: (id) => {
        let s = this.stores.get(id);
        if (s === undefined) this.stores.set(id, (s = new InMemoryStateStore()));
        return s;
      },
    });
    for (const s of this.stores.values()) void s.commit();
    this.batchId += 1;
    return rows;
  }
}
