import type { BindSettings, ScopeField } from '../expressions/binder.js';
import { ansiEnabled, mapKeyDedupPolicy } from '../core/streaming-conf.js';
import { isStreamingPlan, planChildren, type LogicalPlan } from '../plan/logical-plan.js';
import { watermarkTreeString } from '../plan/tree-string.js';
import { JoinOperator } from './join.js';
import { AggregateOperator } from './aggregate.js';
import { DeduplicateOperator } from './deduplicate.js';
import { EventTimeWatermarkOperator } from './event-time-watermark.js';
import { FilterOperator } from './filter.js';
import { LimitOperator } from './limit.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';
import { ProjectOperator } from './project.js';
import { SortOperator } from './sort.js';
import { SourceScanOperator } from './source-scan.js';
import type { KafkaSourceColumns } from '../plan/kafka-source-columns.js';
import { UnionOperator } from './union.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';

/**
 * An aggregation of a static table in a streaming query: a batch aggregation (Spark's
 * SPARK-19690), over the whole table each batch, keeping no state.
 */
function staticAggregate(op: AggregateOperator): PhysicalOperator {
  return {
    output: op.output,
    statefulIds: [],
    execute: (inputs, ctx: OperatorContext) => {
      const store = new InMemoryStateStore();
      return op.execute(inputs, { ...ctx, outputMode: 'complete', stores: () => store, metrics: { droppedByWatermark: 0, evicted: 0, updated: 0 } });
    },
  };
}

/** Whether a plan contains a streaming aggregation (Spark's `plan.exists { case a: Aggregate => a.isStreaming }`). */
function hasStreamingAggregate(p: LogicalPlan): boolean {
  if (p.node === 'Aggregate' && isStreamingPlan(p.child)) return true;
  return planChildren(p).some(hasStreamingAggregate);
}

/** How a plan split at an exchange is compiled (staged-query.ts). */
export interface CompileHooks {
  /**
   * Nodes whose rows arrive through an exchange, with their side: each is still compiled (ids
   * are numbered in tree order, so they stay the same) but stands in the plan as an operator
   * with the subtree's output that returns `inputs[side]`.
   */
  readonly exchangeSides?: ReadonlyMap<LogicalPlan, number>;
  /** Called with each node and its compiled operator (for a side, the real subtree). */
  readonly onCompiled?: (node: LogicalPlan, op: PhysicalOperator) => void;
  /**
   * The form of each Kafka source's key and value, by source index, as the runtime decodes its
   * records (kafka-source-columns.ts); binary where not given.
   */
  readonly kafkaColumns?: ReadonlyMap<number, KafkaSourceColumns>;
}

/** The stand-in for a subtree whose rows arrive through the exchange as side `side`. */
function exchangeInput(subtree: PhysicalOperator, side: number): PhysicalOperator {
  return { output: subtree.output, statefulIds: [], execute: (inputs) => [...(inputs[side] ?? [])] };
}

/**
 * Turns a logical plan into operators: every expression resolved and compiled once. The same
 * call is the analyzer: it throws Spark's AnalysisException for what cannot resolve.
 * Stateful operators are numbered in tree order (their state-store ids). `conf` is the plan's
 * settings: `spark.sql.ansi.enabled` reaches every expression bound here.
 */
export function compilePlan(plan: LogicalPlan, timeZone: string, conf?: Readonly<Record<string, string>>, hooks: CompileHooks = {}): PhysicalOperator {
  const settings: BindSettings = { timeZone, ansi: ansiEnabled(conf), mapKeyDedupPolicy: mapKeyDedupPolicy(conf) };
  let nextId = 0;
  const visit = (p: LogicalPlan): PhysicalOperator => {
    const op = compileNode(p);
    hooks.onCompiled?.(p, op);
    const side = hooks.exchangeSides?.get(p);
    return side === undefined ? op : exchangeInput(op, side);
  };
  const compileNode = (p: LogicalPlan): PhysicalOperator => {
    switch (p.node) {
      case 'StreamingSource':
        return new SourceScanOperator(p, hooks.kafkaColumns?.get(p.index));
      case 'LocalRelation':
        return { output: p.schema, statefulIds: [], execute: () => [...p.rows] };
      case 'Join': {
        const left = visit(p.left);
        const right = visit(p.right);
        return new JoinOperator(left, right, {
          joinType: p.joinType, condition: p.condition, using: p.using,
          leftStreaming: isStreamingPlan(p.left), rightStreaming: isStreamingPlan(p.right),
        }, settings, String(nextId++));
      }
      case 'Project':
        return new ProjectOperator(visit(p.child), p.exprs, settings);
      case 'Filter':
        return new FilterOperator(visit(p.child), p.condition, settings);
      case 'Aggregate': {
        const child = visit(p.child);
        if (!isStreamingPlan(p.child)) return staticAggregate(new AggregateOperator(child, p.grouping, p.aggregates, settings, 'static'));
        return new AggregateOperator(child, p.grouping, p.aggregates, settings, String(nextId++));
      }
      case 'Sort':
        return new SortOperator(visit(p.child), p.orders, settings);
      case 'Limit': {
        const child = visit(p.child);
        // SPARK-30657: a limit on a static subplan is a plain batch limit, keeping no state.
        if (!isStreamingPlan(p.child)) return new LimitOperator(child, p.limit, 'static', { streaming: false, streamingAggBelow: false });
        return new LimitOperator(child, p.limit, String(nextId++), { streaming: true, streamingAggBelow: hasStreamingAggregate(p.child) });
      }
      case 'Union':
        return new UnionOperator(p.children.map(visit));
      case 'Deduplicate': {
        const child = visit(p.child);
        return new DeduplicateOperator(child, p.keys, settings, String(nextId++), p.withinWatermark === true);
      }
      case 'EventTimeWatermark':
        return new EventTimeWatermarkOperator(visit(p.child), p.column, p.delayMs, settings, `watermark-${nextId++}`, (type) => watermarkTreeString(p, type));
      case 'SubqueryAlias': {
        const child = visit(p.child);
        // Spark's SubqueryAlias only requalifies: the columns keep their watermark metadata.
        const output: ScopeField[] = child.output.map((f) => ({ ...f, qualifier: p.alias }));
        return {
          output,
          statefulIds: child.statefulIds,
          execute: (inputs, ctx: OperatorContext) => child.execute(inputs, ctx),
        };
      }
    }
  };
  return visit(plan);
}
