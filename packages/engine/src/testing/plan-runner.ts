import type { Row, Schema } from '../core/types.js';
import { QueryExecution } from '../execution/query-execution.js';
import type { StateMetrics } from '../operators/operator.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';

/**
 * Runs a query plan batch by batch in memory — the operators, output mode, state and
 * watermarks exactly as the processor runs them, without Kafka or Redis. For tests of query
 * behaviour.
 */
export class PlanRunner {
  private readonly execution: QueryExecution;
  private readonly stores: InMemoryStateStore[] = [];
  private batchId = 0;
  lastMetrics: StateMetrics | null = null;

  constructor(plan: QueryPlan, private readonly clock: () => number = () => 0) {
    this.execution = new QueryExecution(plan, () => {
      const store = new InMemoryStateStore();
      this.stores.push(store);
      return store;
    });
  }

  get schema(): Schema {
    return this.execution.operator.output.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
  }

  get watermarkMs(): number {
    return this.execution.watermarkMs;
  }

  get stateRows(): number {
    return this.execution.stateRows;
  }

  /** True when the processor would now run a batch with no new data (watermark advanced). */
  get needsNoDataBatch(): boolean {
    return this.execution.needsNoDataBatch();
  }

  /** Runs one batch; `inputs` is the rows of source 0, or one array per source. */
  runBatch(inputs: readonly Row[] | ReadonlyArray<readonly Row[]>, perSource = false): Row[] {
    const bySource = perSource ? (inputs as ReadonlyArray<readonly Row[]>) : [inputs as readonly Row[]];
    const { rows, metrics } = this.execution.runBatch(this.batchId, this.clock(), this.execution.watermarkMs, bySource);
    // Every store commits now (QueryExecution.commitState awaits them one after the other).
    for (const s of this.stores) void s.commit();
    this.lastMetrics = metrics;
    this.batchId += 1;
    return rows;
  }
}
