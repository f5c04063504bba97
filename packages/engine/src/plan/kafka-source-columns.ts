import { childrenOf } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { resolveRef } from './expr-references.js';
import { planChildren, type LogicalPlan } from './logical-plan.js';

/**
 * How a Kafka source hands its binary `key` or `value` column to the plan: as binary (held as
 * hex), as the UTF-8 text `CAST(x AS STRING)` would make of it when that cast is all the plan
 * does with the column, or not at all (NULL) when nothing reads it.
 */
export type BinaryColumnForm = 'hex' | 'text' | 'unread';

export interface KafkaSourceColumns {
  readonly key: BinaryColumnForm;
  readonly value: BinaryColumnForm;
}

/** Binary, as Spark's Kafka source gives it: what a plan gets unless it proves it needs less. */
export const KAFKA_BINARY_COLUMNS: KafkaSourceColumns = Object.freeze({ key: 'hex', value: 'hex' });

/** The ordinals of `key` and `value` in the Kafka source's schema (kafka-records.ts). */
const ORDINALS = { key: 0, value: 1 } as const;

/** The form column `ordinal` of a Kafka source's schema takes (binary but for key and value). */
export function kafkaColumnForm(columns: KafkaSourceColumns, ordinal: number): BinaryColumnForm {
  return ordinal === ORDINALS.key ? columns.key : ordinal === ORDINALS.value ? columns.value : 'hex';
}

const RANK: Record<BinaryColumnForm, number> = { unread: 0, text: 1, hex: 2 };
const widest = (a: BinaryColumnForm, b: BinaryColumnForm): BinaryColumnForm => (RANK[a] >= RANK[b] ? a : b);

/**
 * For each Kafka source of an (optimized) plan, by source index, the form its `key` and `value`
 * columns can take. The expressions bound directly against a source's columns are those of the
 * Filters and the EventTimeWatermark right above it and of the first Project over them; when a
 * source's columns reach anything else (a join, an aggregate, the sink), they stay binary.
 * `CAST(value AS STRING)` of a column that arrives as text is the text itself (a cast to the
 * column's own type), so the plan's answers are the same; the UTF-8 decoding moves into the
 * source and the hex round trip goes. A source read twice gets the wider form of the two.
 */
export function kafkaSourceColumns(plan: LogicalPlan): ReadonlyMap<number, KafkaSourceColumns> {
  const out = new Map<number, KafkaSourceColumns>();
  const visit = (node: LogicalPlan, readers: readonly Expr[] | null): void => {
    switch (node.node) {
      case 'StreamingSource': {
        if (node.format !== 'kafka') return;
        const found = { key: formOf(ORDINALS.key, readers, node.schema), value: formOf(ORDINALS.value, readers, node.schema) };
        const before = out.get(node.index);
        out.set(node.index, before === undefined ? found : { key: widest(before.key, found.key), value: widest(before.value, found.value) });
        return;
      }
      case 'Project':
        visit(node.child, node.exprs);
        return;
      case 'Filter':
        visit(node.child, readers === null ? null : [...readers, node.condition]);
        return;
      case 'EventTimeWatermark':
        visit(node.child, readers === null ? null : [...readers, { kind: 'column', name: node.column }]);
        return;
      default:
        for (const child of planChildren(node)) visit(child, null);
    }
  };
  visit(plan, null);
  return out;
}

/** The form column `ordinal` can take when `readers` are every expression reading the source's columns (null: unknown). */
function formOf(ordinal: number, readers: readonly Expr[] | null, schema: Parameters<typeof resolveRef>[1]): BinaryColumnForm {
  if (readers === null) return 'hex';
  let form: BinaryColumnForm = 'unread';
  /** False once the column is read otherwise than through a cast to STRING, or a column cannot be told apart. */
  const walk = (e: Expr, castToString: boolean): boolean => {
    if (e.kind === 'star') return false;
    if (e.kind === 'column') {
      const ref = resolveRef(e, schema);
      if (ref === null) return false;
      if (ref.ordinal !== ordinal) return true;
      if (!castToString || ref.field !== undefined) return false;
      form = 'text';
      return true;
    }
    if (e.kind === 'cast' && e.type === 'string' && e.child.kind === 'column') return walk(e.child, true);
    return childrenOf(e).every((c) => walk(c, false));
  };
  return readers.every((r) => walk(r, false)) ? form : 'hex';
}
